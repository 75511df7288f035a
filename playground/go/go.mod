module okra.dev/playground

go 1.19
