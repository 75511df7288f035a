/**
 * The page's side of the panel's API: the state arrives by Server-Sent Events (at once, then after
 * every change; the browser reconnects by itself), details are fetched on demand, and every request
 * that changes something carries the token the server wrote into the page.
 */
import { API, type ConsentBody, type ModelDetails, type PanelState, STATE_ELEMENT, STATE_EVENT, TOKEN_HEADER } from '../protocol'

function meta(name: string): string {
  return document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? ''
}

const base = meta('okra-base') || '/__okra/'
const token = meta('okra-token')

/** The state the page was served with. */
export function initialState(): PanelState | null {
  const text = document.getElementById(STATE_ELEMENT)?.textContent
  return text ? (JSON.parse(text) as PanelState) : null
}

/** Every later state; `since` is the state the page holds. */
export function followState(since: PanelState | null, onState: (state: PanelState) => void, onConnection: (live: boolean) => void): void {
  const events = new EventSource(`${base}${API.events}${since ? `?since=${encodeURIComponent(`${since.instance}:${since.version}`)}` : ''}`)
  events.addEventListener(STATE_EVENT, (event) => onState(JSON.parse((event as MessageEvent<string>).data) as PanelState))
  events.addEventListener('open', () => onConnection(true))
  events.addEventListener('error', () => onConnection(false))
}

export async function fetchDetails(name: string): Promise<ModelDetails> {
  const response = await fetch(`${base}${API.model}?name=${encodeURIComponent(name)}`, { cache: 'no-store' })
  if (!response.ok) throw new Error(await errorText(response))
  return (await response.json()) as ModelDetails
}

export async function decide(id: string, decision: ConsentBody['decision']): Promise<void> {
  const response = await fetch(base + API.consent, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
    body: JSON.stringify({ id, decision } satisfies ConsentBody),
  })
  if (!response.ok) throw new Error(await errorText(response))
}

async function errorText(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: string }
    return body.error ?? `${response.status} ${response.statusText}`
  } catch {
    return `${response.status} ${response.statusText}`
  }
}
