// A Go consumer of the generated types (models/models.go, written by the plugin or `okra models:generate`).
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"okra.dev/playground/models"
)

func main() {
	bio := "Wrote the first program."
	author := models.User{
		ID:        "6f1c2e1a-0000-4000-8000-000000000001",
		Email:     "ada@example.com",
		Name:      "Ada",
		Role:      models.RoleEditor,
		Bio:       &bio,
		CreatedAt: "1970-01-01T00:00:00.000Z",
	}
	post := models.Post{ID: 1, Title: "Hello, schema", Status: models.StatusDraft, AuthorID: author.ID}
	author.Posts = []models.Post{post}

	out, err := json.MarshalIndent(author, "", "  ")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(string(out))
}
