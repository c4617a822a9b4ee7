import { el, row } from './dom.js';
import { bytes, count, duration } from './format.js';

/** An admin API call (the page adds the credential). */
export type Call = <T>(method: string, path: string) => Promise<T>;

export interface ChannelRow {
  channel: string;
  published: number;
  delivered: number;
  coalesced: number;
  dropped: number;
  subscribers: number;
  elapsed_seconds: number;
  completed: boolean;
}

export interface ConnectionRow {
  id: string;
  state: string;
  connected_at: string;
  remote_ip: string;
  user: string | null;
  subscriptions: string[];
  messages_out: number;
  bytes_out: number;
  backlog_messages: number;
  lag_events: number;
}

const PAGE = 12;

/** One page of a server-side list: the page shows `limit` rows from `offset`, out of `matching`. */
abstract class PagedTable<R> {
  protected offset = 0;
  protected matching = 0;
  private loading: Promise<void> | undefined;
  private again = false;

  constructor(
    protected readonly call: Call,
    private readonly body: HTMLTableSectionElement,
    private readonly pageLabel: HTMLElement,
    private readonly prev: HTMLButtonElement,
    private readonly next: HTMLButtonElement,
    private readonly onError: (e: unknown) => void,
  ) {
    prev.addEventListener('click', () => this.go(this.offset - PAGE));
    next.addEventListener('click', () => this.go(this.offset + PAGE));
  }

  protected abstract fetchPage(offset: number, limit: number): Promise<{ rows: R[]; matching: number }>;
  protected abstract render(r: R): HTMLTableRowElement;
  protected abstract empty(): string;

  /** Reloads the page shown; a refresh asked for while one is under way runs once after it. */
  refresh(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = this.load().finally(() => {
      this.loading = undefined;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    });
    return this.loading;
  }

  protected go(offset: number): void {
    this.offset = Math.max(0, offset);
    void this.refresh();
  }

  private async load(): Promise<void> {
    try {
      let page = await this.fetchPage(this.offset, PAGE);
      if (page.rows.length === 0 && this.offset > 0 && page.matching > 0) {
        // the rows of this page went away: show the last page there is
        this.offset = Math.floor((page.matching - 1) / PAGE) * PAGE;
        page = await this.fetchPage(this.offset, PAGE);
      }
      this.matching = page.matching;
      const rows = page.rows.map((r) => this.render(r));
      this.body.replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { class: 'empty', colspan: '8' }, this.empty()))]));
      const last = Math.min(this.offset + PAGE, this.matching);
      this.pageLabel.textContent = this.matching === 0 ? '0' : `${count(this.offset + 1)}–${count(last)} of ${count(this.matching)}`;
      this.prev.disabled = this.offset === 0;
      this.next.disabled = last >= this.matching;
    } catch (e) {
      this.onError(e);
    }
  }
}

/** The channels of this node by name, those containing the search text, a page at a time (`GET /api/channels`). */
export class ChannelTable extends PagedTable<ChannelRow> {
  private searchText = '';

  search(text: string): void {
    this.searchText = text.trim();
    this.go(0);
  }

  protected async fetchPage(offset: number, limit: number) {
    const q = new URLSearchParams({ limit: String(limit), offset: String(offset) });
    if (this.searchText) q.set('search', this.searchText);
    const r = await this.call<{ channels: ChannelRow[]; matching: number }>('GET', `/api/channels?${q}`);
    return { rows: r.channels, matching: r.matching };
  }

  protected render(c: ChannelRow): HTMLTableRowElement {
    return row([
      el('span', { class: 'name', title: c.channel }, c.channel),
      count(c.subscribers),
      count(c.published),
      count(c.delivered),
      count(c.coalesced),
      count(c.dropped),
      c.completed ? `done in ${duration(c.elapsed_seconds)}` : duration(c.elapsed_seconds),
    ], { 'data-channel': c.channel });
  }

  protected empty(): string {
    return this.searchText ? `no channel contains “${this.searchText}”` : 'no channel yet';
  }
}

/** The open connections, oldest first, a page at a time (`GET /api/connections`), each with a disconnect button. */
export class ConnectionTable extends PagedTable<ConnectionRow> {
  /** The connection ids a disconnect was asked for, until they leave the list. */
  private readonly closing = new Set<string>();

  protected async fetchPage(offset: number, limit: number) {
    const r = await this.call<{ connections: ConnectionRow[]; matching: number }>('GET', `/api/connections?limit=${limit}&offset=${offset}`);
    const open = new Set(r.connections.map((c) => c.id));
    for (const id of this.closing) if (!open.has(id)) this.closing.delete(id);
    return { rows: r.connections, matching: r.matching };
  }

  protected render(c: ConnectionRow): HTMLTableRowElement {
    const button = el('button', { class: 'disconnect', type: 'button', 'data-connection': c.id, title: `close ${c.id} (1000)` }, 'Disconnect');
    button.disabled = this.closing.has(c.id);
    button.addEventListener('click', () => void this.disconnect(c.id, button));
    const since = (Date.now() - Date.parse(c.connected_at)) / 1000;
    return row([
      el('span', { class: 'mono' }, c.id),
      c.user ?? '(anonymous)',
      el('span', { class: 'name', title: c.subscriptions.join(' ') }, c.subscriptions.length ? c.subscriptions.join(', ') : '–'),
      count(c.messages_out),
      bytes(c.bytes_out),
      c.backlog_messages > 0 || c.lag_events > 0 ? `${count(c.backlog_messages)} / ${count(c.lag_events)}` : '–',
      duration(since),
      button,
    ], { 'data-connection': c.id });
  }

  protected empty(): string {
    return 'no open connection';
  }

  private async disconnect(id: string, button: HTMLButtonElement): Promise<void> {
    this.closing.add(id);
    button.disabled = true;
    button.textContent = 'Closing…';
    try {
      await this.call('DELETE', `/api/connections/${encodeURIComponent(id)}`);
    } catch {
      // gone already (404): the refresh shows it
    }
    await this.refresh();
  }
}
