// The Visage page: live recognition on the webcam, enrollment, the cameras' sightings, and the gallery. Plain JS, no external files.
'use strict';

const KEY_STORAGE = 'visage.apiKey';
const FRAME_INTERVAL_MS = 200; // a few frames a second, at most one request in flight
const CAPTURE_WIDTH = 640;
// The frames captured while an answer is awaited go together as one burst: each face is decided once from all of them
// (the API follows a face across the frames by its box). Each frame is sent once; a slow server gets bigger bursts
// (up to BURST_FRAMES, none older than BURST_MAX_AGE_MS) rather than more requests.
const BURST_FRAMES = 3;
const BURST_MAX_AGE_MS = 1000;
const CANDIDATES = 3;

const $ = (id) => document.getElementById(id);
const video = $('video');
const overlay = $('overlay');

// ---- API -------------------------------------------------------------------------------------------------------

function apiKey() { return localStorage.getItem(KEY_STORAGE) || ''; }

function askForKey() {
  $('api-key').value = apiKey();
  if (!$('key-dialog').open) $('key-dialog').showModal();
}

/** Calls the API; a problem (RFC 7807) answer becomes an Error carrying its detail and status. */
async function api(path, options = {}) {
  const headers = { 'X-Api-Key': apiKey(), ...(options.headers || {}) };
  const response = await fetch('/api/v1' + path, { ...options, headers });
  if (response.ok) {
    const type = response.headers.get('Content-Type') || '';
    if (response.status === 204) return null;
    return type.includes('json') ? response.json() : response.blob();
  }
  let message = response.statusText;
  try {
    const problem = await response.json();
    message = problem.detail || problem.title || message;
    if (problem.errors) message += ': ' + Object.values(problem.errors).flat().join('; ');
  } catch { /* not JSON */ }
  if (response.status === 401) askForKey();
  const error = new Error(message);
  error.status = response.status;
  error.retryAfter = Number(response.headers.get('Retry-After')) || 0;
  throw error;
}

// ---- Camera and live view ---------------------------------------------------------------------------------------

const capture = document.createElement('canvas');
const pending = []; // frames captured since the last request, oldest first
let busy = false;
let pauseUntil = 0;
const answered = []; // times of recent answers, for frames per second
const latencies = [];

async function startCamera() {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
    video.srcObject = stream;
    await video.play();
    $('camera-state').textContent = 'camera on';
  } catch (e) {
    $('camera-state').textContent = 'no camera';
    $('live-error').textContent = 'The camera is not available: ' + e.message;
  }
}

/** The current video frame as a JPEG blob (scaled to CAPTURE_WIDTH), with its size. */
function grabFrame() {
  if (!video.videoWidth) return Promise.resolve(null);
  const scale = Math.min(1, CAPTURE_WIDTH / video.videoWidth);
  capture.width = Math.round(video.videoWidth * scale);
  capture.height = Math.round(video.videoHeight * scale);
  capture.getContext('2d').drawImage(video, 0, 0, capture.width, capture.height);
  return new Promise((resolve) => capture.toBlob((blob) => resolve(blob && { blob, width: capture.width, height: capture.height }), 'image/jpeg', 0.85));
}

async function tick() {
  if (!apiKey() || Date.now() < pauseUntil || document.hidden) return;
  const frame = await grabFrame();
  if (!frame) return;
  pending.push({ ...frame, at: performance.now() });
  while (pending.length > BURST_FRAMES || performance.now() - pending[0].at > BURST_MAX_AGE_MS) pending.shift();
  if (busy) return;
  const burst = pending.splice(0);
  busy = true;
  const started = performance.now();
  try {
    const form = new FormData();
    burst.forEach((f, i) => form.append(`frame${i}`, f.blob, `frame${i}.jpg`));
    const result = await api(`/recognize?burst=true&candidates=${CANDIDATES}`, { method: 'POST', body: form });
    recordTiming(performance.now() - started);
    draw(result, burst[burst.length - 1]);
    $('burst').textContent = result.frames;
    $('live-error').textContent = '';
  } catch (e) {
    $('live-error').textContent = e.message;
    if (e.retryAfter) pauseUntil = Date.now() + e.retryAfter * 1000; // 429 and 503 say when to come back
  } finally {
    busy = false;
  }
}

function recordTiming(ms) {
  const now = performance.now();
  answered.push(now);
  while (answered.length && now - answered[0] > 2000) answered.shift();
  latencies.push(ms);
  if (latencies.length > 10) latencies.shift();
  $('fps').textContent = (answered.length / Math.min(2, Math.max(0.2, (now - answered[0]) / 1000 || 1))).toFixed(1);
  $('latency').textContent = Math.round(latencies.reduce((a, b) => a + b, 0) / latencies.length);
}

function label(face) { return face.name ?? 'unknown'; }

function percent(p) { return `${Math.round(p * 100)}%`; }

/** Boxes and names over the video, in the video's displayed coordinates (object-fit: contain). */
function draw(result, frame) {
  const rect = overlay.getBoundingClientRect();
  overlay.width = rect.width;
  overlay.height = rect.height;
  const scale = Math.min(rect.width / frame.width, rect.height / frame.height);
  const dx = (rect.width - frame.width * scale) / 2;
  const dy = (rect.height - frame.height * scale) / 2;
  const g = overlay.getContext('2d');
  g.clearRect(0, 0, overlay.width, overlay.height);
  g.font = 'bold 16px system-ui, sans-serif';
  g.lineWidth = 3;
  for (const face of result.faces) {
    const known = face.name !== null;
    const x = dx + face.box.x * scale, y = dy + face.box.y * scale;
    g.strokeStyle = g.fillStyle = known ? '#2ecc71' : '#e74c3c';
    g.strokeRect(x, y, face.box.width * scale, face.box.height * scale);
    const text = face.distance == null ? label(face) : `${label(face)} ${percent(face.confidence)}`;
    const w = g.measureText(text).width + 8;
    g.fillRect(x - 1.5, Math.max(0, y - 22), w, 22);
    g.fillStyle = '#fff';
    g.fillText(text, x + 3, Math.max(16, y - 6));
  }
  const list = $('live-faces');
  list.replaceChildren(...result.faces.map((face) => {
    const item = document.createElement('li');
    item.className = face.name === null ? 'unknown' : 'known';
    item.dataset.frames = face.frames ?? 1;
    const who = Object.assign(document.createElement('strong'), { className: 'who', textContent: label(face) });
    const sure = Object.assign(document.createElement('span'), {
      className: 'confidence',
      textContent: percent(face.confidence),
      title: face.name === null ? `sure it is nobody enrolled (${face.reason})` : `sure it is ${face.name}`,
    });
    item.append(who, ' ', sure);
    if (face.name === null && face.reason !== 'no one enrolled') {
      item.append(' ', Object.assign(document.createElement('span'), { className: 'reason', textContent: face.reason }));
    }
    if (face.candidates.length) {
      const nearest = document.createElement('ol');
      nearest.className = 'candidates';
      nearest.append(...face.candidates.map((c) => Object.assign(document.createElement('li'), {
        textContent: `${c.name} ${c.distance.toFixed(2)} (${percent(c.confidence)})`,
      })));
      item.append(nearest);
    }
    return item;
  }));
}

// ---- Enrollment ------------------------------------------------------------------------------------------------

/** The person with exactly this name, created when missing ({ person, created }). */
async function personNamed(name) {
  try {
    const person = await api('/persons', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name }) });
    return { person, created: true };
  } catch (e) {
    if (e.status !== 409) throw e;
  }
  for (let offset = 0; ; offset += 500) {
    const page = await api(`/persons?offset=${offset}&limit=500`);
    const found = page.items.find((p) => p.name === name);
    if (found) return { person: found, created: false };
    if (offset + page.items.length >= page.total) throw new Error(`'${name}' exists but was not found`);
  }
}

async function enroll(images) {
  const name = $('enroll-name').value.trim();
  const status = $('enroll-status');
  if (!name) { status.textContent = 'Type a name first.'; return; }
  status.textContent = 'Enrolling…';
  try {
    const { person, created } = await personNamed(name);
    const failures = [];
    let added = 0;
    for (const [what, blob] of images) {
      try {
        await api(`/persons/${person.id}/faces`, { method: 'POST', headers: { 'Content-Type': blob.type || 'image/jpeg' }, body: blob });
        added++;
      } catch (e) {
        failures.push(`${what}: ${e.message}`);
      }
    }
    // A new person none of whose photos could be used is not kept.
    if (created && added === 0) await api(`/persons/${person.id}`, { method: 'DELETE' });
    status.textContent = (added ? `Enrolled ${added} photo(s) of ${name}.` : `Nothing enrolled for ${name}.`)
      + (failures.length ? ' ' + failures.join(' ') : '');
  } catch (e) {
    status.textContent = e.message;
  }
  await loadGallery();
}

$('snapshot').addEventListener('click', async () => {
  const frame = await grabFrame();
  if (!frame) { $('enroll-status').textContent = 'The camera shows nothing yet.'; return; }
  await enroll([['snapshot', frame.blob]]);
});

$('enroll-files').addEventListener('change', async (event) => {
  const files = [...event.target.files];
  event.target.value = '';
  if (files.length) await enroll(files.map((f) => [f.name, f]));
});

// ---- Gallery ---------------------------------------------------------------------------------------------------

const thumbnails = []; // object URLs to release on the next reload

async function loadGallery() {
  const list = $('gallery');
  try {
    const page = await api('/persons?limit=500');
    thumbnails.splice(0).forEach(URL.revokeObjectURL);
    const items = await Promise.all(page.items.map(personItem));
    list.replaceChildren(...items);
  } catch (e) {
    list.replaceChildren(Object.assign(document.createElement('li'), { className: 'error', textContent: e.message }));
  }
}

async function personItem(person) {
  const item = document.createElement('li');
  item.dataset.personId = person.id;
  const head = document.createElement('div');
  head.className = 'person';
  const title = document.createElement('strong');
  title.className = 'person-name';
  title.textContent = person.name;
  const remove = document.createElement('button');
  remove.className = 'delete-person';
  remove.textContent = 'Delete';
  remove.addEventListener('click', async () => {
    if (!confirm(`Delete ${person.name} and all of their faces?`)) return;
    await api(`/persons/${person.id}`, { method: 'DELETE' }).catch((e) => alert(e.message));
    await loadGallery();
  });
  head.append(title, remove);
  const faces = document.createElement('div');
  faces.className = 'faces';
  for (const face of await api(`/persons/${person.id}/faces`)) {
    const box = document.createElement('div');
    box.className = 'face';
    const img = document.createElement('img');
    img.alt = `${person.name}, face ${face.id}`;
    try {
      const url = URL.createObjectURL(await api(`/faces/${face.id}/thumbnail`));
      thumbnails.push(url);
      img.src = url;
    } catch { img.alt += ' (no thumbnail)'; }
    const drop = document.createElement('button');
    drop.textContent = '×';
    drop.title = 'Delete this face';
    drop.addEventListener('click', async () => {
      await api(`/faces/${face.id}`, { method: 'DELETE' }).catch((e) => alert(e.message));
      await loadGallery();
    });
    box.append(img, drop);
    faces.append(box);
  }
  item.append(head, faces);
  return item;
}

$('refresh-gallery').addEventListener('click', loadGallery);

// ---- Sightings: enroll a stranger, or reject a wrong name ---------------------------------------------------------

const sightingThumbnails = [];

async function loadSightings() {
  const list = $('sightings');
  try {
    const page = await api('/sightings?limit=50');
    sightingThumbnails.splice(0).forEach(URL.revokeObjectURL);
    list.replaceChildren(...await Promise.all(page.items.map(sightingItem)));
  } catch (e) {
    list.replaceChildren(Object.assign(document.createElement('li'), { className: 'error', textContent: e.message }));
  }
}

async function sightingItem(sighting) {
  const item = document.createElement('li');
  item.dataset.sightingId = sighting.id;
  item.className = sighting.personId === null ? 'unknown' : 'known';
  const img = document.createElement('img');
  img.alt = `sighting ${sighting.id}`;
  try {
    const url = URL.createObjectURL(await api(`/sightings/${sighting.id}/thumbnail`));
    sightingThumbnails.push(url);
    img.src = url;
  } catch { img.alt += ' (no thumbnail)'; }
  const text = document.createElement('div');
  const who = Object.assign(document.createElement('strong'), { className: 'sighting-name', textContent: sighting.name ?? 'unknown' });
  const where = Object.assign(document.createElement('span'), { textContent: ` ${sighting.camera} · ${new Date(sighting.end).toLocaleString()}` });
  text.append(who, where);
  const actions = document.createElement('div');
  actions.className = 'row';
  if (sighting.personId === null) {
    const name = Object.assign(document.createElement('input'), { type: 'text', className: 'sighting-enroll-name', placeholder: 'Who is it?' });
    const enroll = Object.assign(document.createElement('button'), { type: 'button', className: 'sighting-enroll', textContent: 'Enroll' });
    enroll.addEventListener('click', async () => {
      if (!name.value.trim()) { name.focus(); return; }
      await api(`/sightings/${sighting.id}/enroll`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: name.value.trim() }),
      }).catch((e) => alert(e.message));
      await Promise.all([loadSightings(), loadGallery()]);
    });
    actions.append(name, enroll);
  } else {
    const reject = Object.assign(document.createElement('button'), { type: 'button', className: 'sighting-reject', textContent: `Not ${sighting.name}` });
    reject.addEventListener('click', async () => {
      await api(`/sightings/${sighting.id}/reject`, { method: 'POST' }).catch((e) => alert(e.message));
      await loadSightings();
    });
    actions.append(reject);
  }
  text.append(actions);
  item.append(img, text);
  return item;
}

$('refresh-sightings').addEventListener('click', loadSightings);

// ---- Start -----------------------------------------------------------------------------------------------------

$('key-form').addEventListener('submit', () => {
  localStorage.setItem(KEY_STORAGE, $('api-key').value.trim());
  loadGallery();
  loadSightings();
});
$('change-key').addEventListener('click', askForKey);

if (!apiKey()) askForKey(); else { loadGallery(); loadSightings(); }
startCamera();
setInterval(tick, FRAME_INTERVAL_MS);
