/**
 * The developer view on the gateway's server: `/_dev` (HTML) and its JSON endpoints.
 * AWS has no such thing; it stands in for the console pages a developer would otherwise
 * open (bus events and rule deliveries, DLQs, schedules, recent invocations).
 */
import type { InvocationOutcome, InvocationRecord } from './functions';
import type { LocalHttpHandler, LocalHttpRequest, LocalHttpResponse } from './http-gateway';
import type { LocalSchedule } from './scheduler';

/** One event on the bus with what each matching rule did with it. */
export interface BusEventView {
  id: string;
  time: string;
  source: string;
  detailType: string;
  detail: unknown;
  deliveries: { rule: string; status: string; attempts?: number; error?: string }[];
  /** Accepted but delivered nowhere (PutEvents to a bus that does not exist). */
  droppedReason?: string;
}

/** A dead letter from any asynchronous path: a rule target, an outbox relay batch, a schedule. */
export interface DeadLetterView {
  id: string;
  kind: 'rule' | 'outbox-relay' | 'schedule';
  /** The rule, relay function or schedule it came from. */
  origin: string;
  error: string;
  failedAt: string;
  /** Only bus dead letters can be redriven from here. */
  redrivable: boolean;
  payload: unknown;
}

export interface DevViewSource {
  urls: () => Record<string, string>;
  events: () => BusEventView[];
  deadLetters: () => DeadLetterView[];
  redrive: (id: string) => Promise<boolean>;
  schedules: () => LocalSchedule[];
  /** One-time schedules functions created at run time (the Scheduler API). */
  oneTimeSchedules?: () => unknown[];
  runSchedule: (service: string, name: string) => Promise<InvocationOutcome>;
  invocations: () => readonly (InvocationRecord & { ok: boolean; errorType?: string })[];
  routes: () => { routeKey: string; functionKey: string; auth: string }[];
}

const json = (status: number, body: unknown): LocalHttpResponse => ({
  status,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(body, null, 2),
});

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Mentoring platform: local developer view</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d2330; }
  h1 { font-size: 1.3rem; } h2 { font-size: 1.05rem; margin-top: 1.8rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e3e6ec; vertical-align: top; }
  th { background: #f4f6f9; font-weight: 600; }
  code, pre { font: 12px/1.35 ui-monospace, monospace; }
  pre { margin: 0; max-height: 12rem; overflow: auto; white-space: pre-wrap; }
  .ok, .delivered { color: #17803d; } .failed, .dead, .dead-lettered { color: #b42318; }
  .retrying, .pending, .interrupted { color: #b54708; } .muted { color: #6b7280; }
  button { font: inherit; cursor: pointer; }
  ul.urls { columns: 2; padding-left: 1rem; }
</style>
</head>
<body>
<h1>Mentoring platform: local developer view</h1>
<p class="muted">Refreshes every 2 seconds. JSON: <a href="/_dev/events">/_dev/events</a>,
<a href="/_dev/dead-letters">/_dev/dead-letters</a>, <a href="/_dev/schedules">/_dev/schedules</a>,
<a href="/_dev/invocations">/_dev/invocations</a>.</p>
<ul class="urls" id="urls"></ul>
<h2>Events on the bus (newest first)</h2>
<table><thead><tr><th>time</th><th>source / detail-type</th><th>rule deliveries</th><th>detail</th></tr></thead><tbody id="events"></tbody></table>
<h2>Dead letters</h2>
<table><thead><tr><th>failed at</th><th>kind</th><th>origin</th><th>error</th><th>payload</th><th></th></tr></thead><tbody id="dead"></tbody></table>
<h2>Schedules</h2>
<table><thead><tr><th>schedule</th><th>expression</th><th>function</th><th>next</th><th>last</th><th></th></tr></thead><tbody id="schedules"></tbody></table>
<h2>Recent invocations</h2>
<table><thead><tr><th>started</th><th>function</th><th>outcome</th><th>ms</th><th>cold</th></tr></thead><tbody id="invocations"></tbody></table>
<script>
const esc = (value) => String(value ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const pre = (value) => '<pre>' + esc(typeof value === 'string' ? value : JSON.stringify(value, null, 2)) + '</pre>';
const get = async (path) => (await fetch(path)).json();
async function post(path) { const response = await fetch(path, { method: 'POST' }); alert(JSON.stringify(await response.json(), null, 2)); refresh(); }
async function refresh() {
  const [urls, events, dead, schedules, invocations] = await Promise.all([
    get('/_dev/urls'), get('/_dev/events'), get('/_dev/dead-letters'), get('/_dev/schedules'), get('/_dev/invocations')]);
  document.getElementById('urls').innerHTML = Object.entries(urls).map(([name, url]) =>
    '<li>' + esc(name) + ': <a href="' + esc(url) + '">' + esc(url) + '</a></li>').join('');
  document.getElementById('events').innerHTML = events.events.map((event) => '<tr><td>' + esc(event.time) + '</td><td><code>' +
    esc(event.source) + '</code><br><b>' + esc(event.detailType) + '</b></td><td>' +
    (event.deliveries.map((d) => '<div class="' + esc(d.status) + '">' + esc(d.rule) + ': ' + esc(d.status) +
      (d.attempts ? ' (' + d.attempts + ' attempts)' : '') + (d.error ? ' <span class="muted">' + esc(d.error) + '</span>' : '') + '</div>').join('')
      || '<span class="muted">' + esc(event.droppedReason || 'no rule matched') + '</span>') + '</td><td>' + pre(event.detail) + '</td></tr>').join('');
  document.getElementById('dead').innerHTML = dead.deadLetters.map((letter) => '<tr><td>' + esc(letter.failedAt) + '</td><td>' +
    esc(letter.kind) + '</td><td>' + esc(letter.origin) + '</td><td class="dead">' + esc(letter.error) + '</td><td>' + pre(letter.payload) +
    '</td><td>' + (letter.redrivable ? '<button onclick="post(\\'/_dev/dead-letters/' + encodeURIComponent(letter.id) + '/redrive\\')">redrive</button>' : '') +
    '</td></tr>').join('') || '<tr><td colspan="6" class="muted">none</td></tr>';
  document.getElementById('schedules').innerHTML = schedules.schedules.map((s) => '<tr><td>' + esc(s.service + '/' + s.name) + '</td><td><code>' +
    esc(s.expression) + '</code> ' + esc(s.timezone) + '</td><td>' + esc(s.functionKey) + '</td><td>' + esc(s.nextFireAt) + '</td><td>' +
    esc(s.lastFiredAt) + '</td><td><button onclick="post(\\'/_dev/schedules/' + encodeURIComponent(s.service) + '/' + encodeURIComponent(s.name) +
    '/run\\')">run now</button></td></tr>').join('') || '<tr><td colspan="6" class="muted">no schedules declared</td></tr>';
  document.getElementById('invocations').innerHTML = invocations.invocations.map((i) => '<tr><td>' + esc(i.startedAt) + '</td><td>' +
    esc(i.functionKey) + '</td><td class="' + (i.ok ? 'ok' : 'failed') + '">' + (i.ok ? 'ok' : esc(i.errorType)) + '</td><td>' + i.durationMs +
    '</td><td>' + (i.coldStart ? 'cold' : '') + '</td></tr>').join('');
}
refresh(); setInterval(refresh, 2000);
</script>
</body>
</html>
`;

export const DEV_VIEW_PATH = '/_dev';

/** Serves `/_dev` and its JSON API; passes every other request on. */
export const devViewHandler =
  (source: DevViewSource): LocalHttpHandler =>
  async (request: LocalHttpRequest) => {
    const path = request.url.pathname;
    if (path !== DEV_VIEW_PATH && !path.startsWith(`${DEV_VIEW_PATH}/`)) return undefined;
    const method = request.method;
    if (method === 'GET' && (path === DEV_VIEW_PATH || path === `${DEV_VIEW_PATH}/`)) {
      return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: PAGE };
    }
    if (method === 'GET' && path === `${DEV_VIEW_PATH}/urls`) return json(200, source.urls());
    if (method === 'GET' && path === `${DEV_VIEW_PATH}/events`) return json(200, { events: source.events() });
    if (method === 'GET' && path === `${DEV_VIEW_PATH}/dead-letters`) {
      return json(200, { deadLetters: source.deadLetters() });
    }
    if (method === 'GET' && path === `${DEV_VIEW_PATH}/schedules`) return json(200, { schedules: source.schedules() });
    if (method === 'GET' && path === `${DEV_VIEW_PATH}/one-time-schedules`) {
      return json(200, { schedules: source.oneTimeSchedules?.() ?? [] });
    }
    if (method === 'GET' && path === `${DEV_VIEW_PATH}/invocations`) {
      return json(200, { invocations: [...source.invocations()].reverse() });
    }
    if (method === 'GET' && path === `${DEV_VIEW_PATH}/routes`) return json(200, { routes: source.routes() });

    const redrive = /^\/_dev\/dead-letters\/([^/]+)\/redrive$/.exec(path);
    if (method === 'POST' && redrive) {
      const id = decodeURIComponent(redrive[1] as string);
      return (await source.redrive(id))
        ? json(202, { redriven: id })
        : json(404, { message: `No redrivable dead letter ${id}` });
    }
    const run = /^\/_dev\/schedules\/([^/]+)\/([^/]+)\/run$/.exec(path);
    if (method === 'POST' && run) {
      try {
        const outcome = await source.runSchedule(
          decodeURIComponent(run[1] as string),
          decodeURIComponent(run[2] as string),
        );
        return json(outcome.ok ? 200 : 502, outcome);
      } catch (error) {
        return json(404, { message: (error as Error).message });
      }
    }
    return json(404, { message: 'Not Found' });
  };
