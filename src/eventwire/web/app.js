// eventwire analysts' page: filter, table, timeline chart, document view, reviews.
// Plain JS, no build step, no third-party code: the page works offline against /api.
// The page state lives in the URL hash (#actor=IRN&type=CONSULT&open=AVA/123) so views
// can be bookmarked and the back button works. Data is put in the DOM with textContent only.
"use strict";

const PAGE_SIZE = 25;
const SVG_NS = "http://www.w3.org/2000/svg";
const FILTER_FIELDS = ["actor", "recipient", "type", "since", "until", "min_confidence"];
const NO_SOURCE = "_"; // path segment the API reads as "no source"
const QUADS = [
  ["verbal_cooperation", "verbal cooperation"],
  ["material_cooperation", "material cooperation"],
  ["verbal_conflict", "verbal conflict"],
  ["material_conflict", "material conflict"],
];
const VERDICTS = ["correct", "wrong", "unsure"];

const $ = (id) => document.getElementById(id);

// ------------------------------------------------------------------ helpers

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("data-")) node.setAttribute(key, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attrs = {}, text = null) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== null) node.textContent = text;
  return node;
}

function errorMessage(body, status) {
  const detail = body && body.detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((d) => `${(d.loc || []).filter((p) => p !== "query" && p !== "body").join(".")}: ${d.msg}`)
      .join("; ");
  }
  return `request failed (HTTP ${status})`;
}

// The write token: from the link `eventwire serve` prints (#token=...), kept for the
// browser session only, or typed into the Token field. Reads need none.
const TOKEN_KEY = "eventwire.token";

function takeTokenFromUrl() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ""));
  const token = params.get("token");
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  params.delete("token");
  const rest = params.toString();
  history.replaceState(null, "", `${location.pathname}${location.search}${rest ? `#${rest}` : ""}`);
}

async function api(path, options = {}) {
  const headers = { Accept: "application/json", "Content-Type": "application/json" };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (options.method && options.method !== "GET" && token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path, { ...options, headers });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(errorMessage(body, response.status));
  return body;
}

function showError(message) {
  const box = $("error");
  box.textContent = message || "";
  box.hidden = !message;
}

// ------------------------------------------------------------------ state in the URL

function readState() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ""));
  const state = { filter: {}, offset: 0, interval: "month", open: null, focus: null };
  for (const name of FILTER_FIELDS) {
    const value = params.get(name);
    if (value) state.filter[name] = value;
  }
  state.offset = Math.max(0, parseInt(params.get("offset") || "0", 10) || 0);
  state.interval = params.get("interval") || "month";
  state.open = params.get("open");
  state.focus = params.get("focus");
  return state;
}

function writeState(state) {
  const params = new URLSearchParams();
  for (const name of FILTER_FIELDS) if (state.filter[name]) params.set(name, state.filter[name]);
  if (state.offset) params.set("offset", String(state.offset));
  if (state.interval !== "month") params.set("interval", state.interval);
  if (state.open) params.set("open", state.open);
  if (state.focus) params.set("focus", state.focus);
  return "#" + params.toString();
}

let current = readState();

function navigate(change) {
  const next = { ...current, ...change };
  const hash = writeState(next);
  if (hash === location.hash || (hash === "#" && !location.hash)) render(next);
  else location.hash = hash; // the hashchange handler renders
}

function filterQuery(filter) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
  return params;
}

// ------------------------------------------------------------------ cells of an event row

function entityCode(entity) {
  if (entity.country || entity.sector) return (entity.country || "") + (entity.sector || "");
  return entity.org || "—";
}

function participants(entities) {
  const cell = el("td", { class: "participants" });
  if (!entities.length) cell.append(el("span", { class: "none", text: "—" }));
  for (const entity of entities) {
    const name = entity.name || entity.text;
    const label = entity.role ? `${entity.role} ${name}` : name;
    const code = el("span", { class: "code", text: entityCode(entity) });
    if (entity.country_from_context) {
      code.classList.add("guessed");
      code.title = "country not said of this party: the one the text around it is about";
    }
    cell.append(
      el("div", { class: "entity", title: `mention: “${entity.text}”` },
        code, " ", el("span", { class: "name", text: label })),
    );
  }
  return cell;
}

function dateCell(event) {
  let text = "—";
  if (event.date) text = event.date;
  else if (event.date_start || event.date_end) {
    text = `${event.date_start || "…"} – ${event.date_end || "…"}`;
  }
  const cell = el("td", { class: "date", text });
  if (event.date_is_publication) {
    cell.classList.add("publication");
    cell.title = "no date in the text: publication date";
  }
  return cell;
}

function placeCell(event) {
  const place = event.location;
  if (!place) return el("td", { class: "none", text: "—" });
  return el("td", { text: place.country ? `${place.name} (${place.country})` : place.name });
}

// The trigger's offsets index the document body; the sentence starts at evidence.start.
function triggerRange(evidence) {
  const sentence = evidence.sentence;
  if (evidence.trigger_start != null && evidence.trigger_end != null) {
    const start = evidence.trigger_start - evidence.start;
    const end = evidence.trigger_end - evidence.start;
    if (start >= 0 && end <= sentence.length && start < end) return [start, end];
  }
  if (evidence.trigger) {
    const at = sentence.indexOf(evidence.trigger);
    if (at >= 0) return [at, at + evidence.trigger.length];
  }
  return null;
}

function evidenceCell(event) {
  const evidence = event.evidence;
  const sentence = el("span", { class: "sentence" });
  const range = triggerRange(evidence);
  if (range) {
    sentence.append(
      evidence.sentence.slice(0, range[0]),
      el("mark", { class: "trigger", text: evidence.sentence.slice(range[0], range[1]) }),
      evidence.sentence.slice(range[1]),
    );
  } else {
    sentence.textContent = evidence.sentence;
  }
  const source = event.source || NO_SOURCE;
  const open = el("a", {
    class: "open-doc",
    href: "#",
    text: `${event.source ? event.source + " " : ""}${event.doc_id}`,
    title: "show the article with this event's evidence",
    onclick: (e) => {
      e.preventDefault();
      navigate({ open: `${encodeURIComponent(source)}/${event.doc_id}`, focus: event.event_id });
    },
  });
  return el("td", { class: "evidence" }, sentence, el("div", { class: "doc-link" }, open));
}

function verdictBadge(review) {
  const badge = el("span", { class: "verdict" });
  setVerdict(badge, review);
  return badge;
}

function setVerdict(badge, review) {
  badge.dataset.verdict = review ? review.verdict : "";
  badge.textContent = review ? review.verdict : "not reviewed";
  const by = review && review.reviewer ? ` by ${review.reviewer}` : "";
  badge.title = review ? `${review.verdict}${by} at ${review.created_at}${review.note ? ": " + review.note : ""}` : "";
}

function reviewCell(event) {
  const badge = verdictBadge(event.review);
  const note = el("input", {
    class: "note", type: "text", placeholder: "note", "aria-label": "review note",
    value: event.review && event.review.note ? event.review.note : "",
  });
  const buttons = VERDICTS.map((verdict) =>
    el("button", {
      type: "button", class: `verdict-button ${verdict}`, "data-verdict": verdict, text: verdict,
      onclick: () => submitReview(event.event_id, verdict, note.value, badge),
    }),
  );
  return el("td", { class: "review" }, badge, el("div", { class: "buttons" }, ...buttons), note);
}

function eventRow(event) {
  const mode = event.mode ? el("div", { class: "mode", text: event.mode }) : null;
  return el("tr", { "data-event-id": event.event_id, "data-quad": event.quad_class },
    el("td", { class: "type" }, el("span", { class: `type-tag ${event.quad_class}`, text: event.type }), mode),
    dateCell(event),
    participants(event.actor),
    participants(event.recipient),
    placeCell(event),
    el("td", { class: "confidence", text: event.confidence.toFixed(2) }),
    evidenceCell(event),
    reviewCell(event),
  );
}

async function submitReview(eventId, verdict, note, badge) {
  badge.textContent = "saving…";
  try {
    const reviewer = $("reviewer").value.trim();
    const review = await api(`/api/events/${encodeURIComponent(eventId)}/reviews`, {
      method: "POST",
      body: JSON.stringify({ verdict, note: note.trim() || null, reviewer: reviewer || null }),
    });
    for (const row of document.querySelectorAll("tr[data-event-id]")) {
      if (row.dataset.eventId === eventId) setVerdict(row.querySelector(".verdict"), review);
    }
    loadStats();
  } catch (error) {
    badge.textContent = "not saved";
    showError(`review not saved: ${error.message}`);
  }
}

// ------------------------------------------------------------------ events table

async function loadEvents(state) {
  const params = filterQuery(state.filter);
  params.set("limit", String(PAGE_SIZE));
  params.set("offset", String(state.offset));
  const page = await api(`/api/events?${params}`);
  const rows = $("event-rows");
  rows.replaceChildren(...page.items.map(eventRow));
  if (!page.items.length) {
    rows.append(el("tr", { class: "empty" }, el("td", { colspan: 8, text: "No events match this filter." })));
  }
  const first = page.total ? page.offset + 1 : 0;
  const last = page.offset + page.items.length;
  $("page-info").textContent = `${first}–${last} of ${page.total}`;
  $("prev").disabled = page.offset <= 0;
  $("next").disabled = last >= page.total;
}

// ------------------------------------------------------------------ timeline chart

// A round step for 4 grid intervals covering ``value``: whole counts only.
function tickStep(value) {
  const rough = Math.max(1, value / 4);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= rough) return step * magnitude;
  return 10 * magnitude;
}

function drawTimeline(timeline) {
  const chart = $("chart");
  const periods = timeline.periods;
  if (!periods.length) {
    chart.replaceChildren(el("p", { class: "empty", text: "No dated events for this filter." }));
    return;
  }
  const W = 960, H = 290, left = 44, right = 44, top = 26, bottom = 40;
  const plotW = W - left - right, plotH = H - top - bottom;
  const step = tickStep(Math.max(...periods.map((p) => p.total)));
  const maxCount = 4 * step;
  const slot = plotW / periods.length;
  const barW = Math.max(1, Math.min(40, slot * 0.75));
  const y = (count) => top + plotH - (count / maxCount) * plotH;
  const yScore = (score) => top + plotH / 2 - (score / 10) * (plotH / 2);
  const root = svg("svg", {
    viewBox: `0 0 ${W} ${H}`, class: "timeline-svg", role: "img",
    "aria-label": `events per ${timeline.interval} by quad class, with mean PLOVER score`,
  });

  for (let i = 0; i <= 4; i++) { // count grid and left axis
    const value = step * i;
    root.append(svg("line", { x1: left, x2: W - right, y1: y(value), y2: y(value), class: "grid" }));
    root.append(svg("text", { x: left - 6, y: y(value) + 4, class: "axis left" }, String(Math.round(value))));
  }
  for (const score of [-10, -5, 0, 5, 10]) { // right axis: PLOVER score
    root.append(svg("text", { x: W - right + 6, y: yScore(score) + 4, class: "axis right" }, String(score)));
  }
  root.append(svg("line", { x1: left, x2: W - right, y1: yScore(0), y2: yScore(0), class: "zero" }));
  root.append(svg("text", { x: 4, y: 11, class: "axis-title" }, "events"));
  root.append(svg("text", { x: W - 4, y: 11, class: "axis-title end" }, "mean score"));

  const labelEvery = Math.ceil(periods.length / 12);
  const points = []; // [x, y, period, starts a new stretch of the line]
  let gap = true;
  periods.forEach((period, i) => {
    const cx = left + slot * i + slot / 2;
    let base = 0;
    for (const [quad, label] of QUADS) {
      const count = period.counts[quad] || 0;
      if (!count) continue;
      const rect = svg("rect", {
        x: cx - barW / 2, y: y(base + count), width: barW, height: y(base) - y(base + count),
        class: `bar ${quad}`, "data-period": period.period, "data-quad": quad,
      });
      const mean = period.mean_scores[quad];
      rect.append(svg("title", {}, `${period.period}: ${count} ${label}` +
        (mean === null ? "" : `, mean score ${mean.toFixed(1)}`)));
      root.append(rect);
      base += count;
    }
    if (i % labelEvery === 0) {
      root.append(svg("text", { x: cx, y: H - bottom + 16, class: "axis bottom" }, period.period));
    }
    // The line breaks over periods with no scored events rather than inventing a trend.
    if (period.mean_score === null) gap = true;
    else {
      points.push([cx, yScore(period.mean_score), period, gap]);
      gap = false;
    }
  });
  if (points.length) {
    const d = points.map(([px, py, , fresh]) => `${fresh ? "M" : "L"}${px.toFixed(1)},${py.toFixed(1)}`).join(" ");
    root.append(svg("path", { d, class: "score-line" }));
    for (const [px, py, period] of points) {
      const dot = svg("circle", { cx: px, cy: py, r: 3, class: "score-dot" });
      dot.append(svg("title", {}, `${period.period}: mean PLOVER score ${period.mean_score.toFixed(2)} (${period.total} events)`));
      root.append(dot);
    }
  }
  const note = timeline.undated ? el("p", { class: "meta", text: `${timeline.undated} matching events have no date and are not charted.` }) : null;
  chart.replaceChildren(root, ...(note ? [note] : []));
}

function drawLegend() {
  const items = QUADS.map(([quad, label]) =>
    el("li", {}, el("span", { class: `swatch ${quad}` }), label));
  items.push(el("li", {}, el("span", { class: "swatch line" }), "mean PLOVER score"));
  $("legend").replaceChildren(...items);
}

async function loadTimeline(state) {
  const params = filterQuery(state.filter);
  params.set("interval", state.interval);
  drawTimeline(await api(`/api/timeline?${params}`));
}

// ------------------------------------------------------------------ document view

// Split the body at every highlight boundary and mark each piece with what covers it.
function highlightedBody(body, events) {
  const spans = [];
  const valid = (s, e) => Number.isInteger(s) && Number.isInteger(e) && s >= 0 && s < e && e <= body.length;
  for (const event of events) {
    const ev = event.evidence;
    if (valid(ev.start, ev.end)) spans.push({ start: ev.start, end: ev.end, kind: "evidence", id: event.event_id });
    if (valid(ev.trigger_start, ev.trigger_end)) spans.push({ start: ev.trigger_start, end: ev.trigger_end, kind: "trigger", id: event.event_id });
    for (const entity of [...event.actor, ...event.recipient]) {
      if (valid(entity.start, entity.end)) spans.push({ start: entity.start, end: entity.end, kind: "participant", id: event.event_id });
    }
  }
  const cuts = new Set([0, body.length]);
  for (const span of spans) { cuts.add(span.start); cuts.add(span.end); }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [start, end] = [points[i], points[i + 1]];
    const covering = spans.filter((s) => s.start <= start && s.end >= end);
    const text = body.slice(start, end);
    if (!covering.length) { out.push(document.createTextNode(text)); continue; }
    const kinds = new Set(covering.map((s) => s.kind));
    const ids = [...new Set(covering.filter((s) => s.kind === "evidence").map((s) => s.id))];
    const piece = el("mark", { class: [...kinds].join(" "), "data-events": ids.join(" "), text });
    piece.addEventListener("click", () => focusEvent(ids[0]));
    out.push(piece);
  }
  return out;
}

function focusEvent(eventId) {
  if (!eventId) return;
  for (const node of document.querySelectorAll("#document .focus")) node.classList.remove("focus");
  for (const mark of document.querySelectorAll("#doc-body mark[data-events]")) {
    if (mark.dataset.events.split(" ").includes(eventId)) mark.classList.add("focus");
  }
  for (const row of document.querySelectorAll("#doc-events tr[data-event-id]")) {
    if (row.dataset.eventId === eventId) row.classList.add("focus");
  }
}

// Other documents of the same story (#10): near-duplicates first, then other reports.
function relatedItems(related) {
  if (!related.length) return [el("li", { class: "meta", text: "No related documents." })];
  return related.map((doc) => {
    const how = doc.relation === "duplicate" ? "near-duplicate"
      : doc.relation === "story" ? "same story" : "same story, through others";
    const share = doc.similarity === null || doc.similarity === undefined ? "" : ` ${Math.round(doc.similarity * 100)}%`;
    const target = `${doc.source || NO_SOURCE}/${doc.id}`;
    const link = el("a", {
      class: "related-doc",
      href: "#",
      text: doc.title || doc.id,
      onclick: (e) => { e.preventDefault(); navigate({ open: target, focus: null }); },
    });
    return el("li", {}, link, ` · ${[doc.source, doc.published].filter(Boolean).join(" · ")} · ${how}${share}`);
  });
}

async function loadDocument(state) {
  const panel = $("document");
  if (!state.open) { panel.hidden = true; return; }
  const cut = state.open.indexOf("/");
  // The source part is percent-encoded in the state, so a source may contain "/".
  const source = decodeURIComponent(state.open.slice(0, cut));
  const docId = state.open.slice(cut + 1);
  const key = new URLSearchParams({ source: source === NO_SOURCE ? "" : source, id: docId });
  const doc = await api(`/api/documents/lookup?${key}`);
  $("doc-title").textContent = doc.title || doc.id;
  const meta = [doc.source_name || doc.source, doc.id, doc.published, `${doc.events.length} events`];
  $("doc-meta").replaceChildren(meta.filter(Boolean).join(" · "));
  if (doc.url && /^https?:\/\//i.test(doc.url)) {
    $("doc-meta").append(" · ", el("a", { href: doc.url, rel: "noreferrer noopener", text: "original" }));
  }
  $("doc-body").replaceChildren(...highlightedBody(doc.body, doc.events));
  $("doc-events").replaceChildren(...doc.events.map(eventRow));
  $("doc-related").replaceChildren(...relatedItems(doc.related || []));
  panel.hidden = false;
  focusEvent(state.focus);
  const target = document.querySelector("#doc-body mark.focus") || panel;
  panel.scrollIntoView({ block: "start" });
  if (target !== panel) target.scrollIntoView({ block: "center" });
}

// ------------------------------------------------------------------ stats, form, wiring

async function loadStats() {
  const stats = await api("/api/stats");
  const reviewed = Object.values(stats.reviews_by_verdict).reduce((a, b) => a + b, 0);
  $("stats").textContent = `${stats.documents} documents · ${stats.events} events · ${reviewed} reviewed`;
  const select = document.querySelector("#filters select[name=type]");
  const chosen = select.value || current.filter.type || "";
  const options = Object.entries(stats.events_by_type).map(([type, n]) =>
    el("option", { value: type, text: `${type} (${n})` }));
  select.replaceChildren(el("option", { value: "", text: "any" }), ...options);
  if (chosen && !stats.events_by_type[chosen]) select.append(el("option", { value: chosen, text: chosen }));
  select.value = chosen;
}

function fillForm(state) {
  const form = $("filters");
  for (const name of FILTER_FIELDS) {
    const input = form.elements[name];
    if (name === "type" && state.filter.type && ![...input.options].some((o) => o.value === state.filter.type)) {
      input.append(el("option", { value: state.filter.type, text: state.filter.type }));
    }
    input.value = state.filter[name] || "";
  }
  $("interval").value = state.interval;
}

function formFilter() {
  const form = $("filters");
  const filter = {};
  for (const name of FILTER_FIELDS) {
    const value = String(form.elements[name].value || "").trim();
    if (value) filter[name] = value;
  }
  return filter;
}

async function render(state) {
  current = state;
  fillForm(state);
  showError("");
  document.body.dataset.loading = "true";
  const jobs = [loadEvents(state), loadTimeline(state), loadDocument(state)];
  const results = await Promise.allSettled(jobs);
  const failed = results.find((r) => r.status === "rejected");
  if (failed) showError(failed.reason.message);
  document.body.dataset.loading = "false";
}

function start() {
  takeTokenFromUrl();
  const tokenField = $("token");
  tokenField.value = sessionStorage.getItem(TOKEN_KEY) || "";
  tokenField.addEventListener("change", () => sessionStorage.setItem(TOKEN_KEY, tokenField.value.trim()));
  drawLegend();
  const reviewer = $("reviewer");
  reviewer.value = localStorage.getItem("eventwire.reviewer") || "";
  reviewer.addEventListener("change", () => localStorage.setItem("eventwire.reviewer", reviewer.value.trim()));
  $("filters").addEventListener("submit", (e) => {
    e.preventDefault();
    navigate({ filter: formFilter(), offset: 0 });
  });
  $("filters").addEventListener("reset", (e) => {
    e.preventDefault();
    navigate({ filter: {}, offset: 0 });
  });
  $("interval").addEventListener("change", () => navigate({ interval: $("interval").value }));
  $("prev").addEventListener("click", () => navigate({ offset: Math.max(0, current.offset - PAGE_SIZE) }));
  $("next").addEventListener("click", () => navigate({ offset: current.offset + PAGE_SIZE }));
  $("close-document").addEventListener("click", () => navigate({ open: null, focus: null }));
  window.addEventListener("hashchange", () => render(readState()));
  loadStats().catch((error) => showError(error.message)).finally(() => render(readState()));
}

document.addEventListener("DOMContentLoaded", start);
