// The Cameras view: each camera's annotated picture, refreshed a few times a second, its last appearances with the
// best face of each, and a live line per event from /api/v1/events. Uses api() and apiKey() from app.js.
'use strict';

const PICTURE_INTERVAL_MS = 500;
const cameraViews = new Map(); // id -> { item, picture, appearances, events, url }

async function loadCameras() {
  const list = $('cameras');
  try {
    const cameras = await api('/cameras');
    for (const view of cameraViews.values()) if (view.url) URL.revokeObjectURL(view.url);
    cameraViews.clear();
    list.replaceChildren(...cameras.map(cameraItem));
    if (!cameras.length) list.replaceChildren(Object.assign(document.createElement('li'), { className: 'empty', textContent: 'No camera yet.' }));
    await Promise.all(cameras.map((c) => loadAppearances(c.id)));
  } catch (e) {
    list.replaceChildren(Object.assign(document.createElement('li'), { className: 'error', textContent: e.message }));
  }
}

function cameraItem(camera) {
  const item = document.createElement('li');
  item.dataset.cameraId = camera.id;
  item.dataset.cameraName = camera.name;
  const head = document.createElement('div');
  head.className = 'camera-head';
  const title = document.createElement('strong');
  title.className = 'camera-name';
  title.textContent = camera.name;
  const state = document.createElement('span');
  state.className = 'camera-state';
  state.textContent = stateText(camera);
  const remove = document.createElement('button');
  remove.className = 'delete-camera';
  remove.textContent = 'Delete';
  remove.addEventListener('click', async () => {
    if (!confirm(`Stop watching ${camera.name} and delete it?`)) return;
    await api(`/cameras/${camera.id}`, { method: 'DELETE' }).catch((e) => alert(e.message));
    await loadCameras();
  });
  head.append(title, state, remove);
  const picture = document.createElement('img');
  picture.className = 'camera-picture';
  picture.alt = `${camera.name}, live`;
  const events = document.createElement('p');
  events.className = 'camera-events';
  events.setAttribute('aria-live', 'polite');
  const appearances = document.createElement('ul');
  appearances.className = 'appearances';
  item.append(head, picture, events, appearances);
  cameraViews.set(camera.id, { item, picture, appearances, events, url: null });
  return item;
}

function stateText(camera) {
  return `${camera.state} · ${camera.fps} frames/s · ${camera.detector}` + (camera.lastError ? ` · ${camera.lastError}` : '');
}

/** Brings each camera's state line up to date (running, failing and why). */
async function refreshStates() {
  if (document.hidden || !apiKey() || !cameraViews.size) return;
  const cameras = await api('/cameras').catch(() => []);
  for (const camera of cameras) {
    const view = cameraViews.get(camera.id);
    if (view) view.item.querySelector('.camera-state').textContent = stateText(camera);
  }
}

/** The camera's last appearances, newest first, each with its best face. */
async function loadAppearances(id) {
  const view = cameraViews.get(id);
  if (!view) return;
  const list = await api(`/cameras/${id}/appearances`).catch(() => []);
  view.appearances.replaceChildren(...list.slice(0, 12).map((a) => {
    const li = document.createElement('li');
    li.className = a.name ? 'known' : 'unknown';
    const img = document.createElement('img');
    img.src = a.thumbnail;
    img.alt = a.name ?? 'unknown';
    const text = document.createElement('span');
    text.textContent = `${a.name ?? 'unknown'} · ${a.duration.toFixed(1)} s`;
    li.append(img, text);
    return li;
  }));
}

/** Swaps each camera's picture for its latest snapshot (fetched with the key: an <img> cannot send headers). */
async function refreshPictures() {
  if (document.hidden || !apiKey()) return;
  await Promise.all([...cameraViews.entries()].map(async ([id, view]) => {
    try {
      const blob = await api(`/cameras/${id}/snapshot`);
      const url = URL.createObjectURL(blob);
      if (view.url) URL.revokeObjectURL(view.url);
      view.url = url;
      view.picture.src = url;
    } catch { /* no frame yet: keep the last one */ }
  }));
}

/** Follows /api/v1/events (fetch, for the key header), showing each event and reloading appearances on 'left'. */
async function followEvents() {
  while (true) {
    try {
      if (!apiKey()) throw new Error('no key');
      const response = await fetch('/api/v1/events', { headers: { 'X-Api-Key': apiKey() } });
      if (!response.ok) throw new Error(response.statusText);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          onEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch { /* reconnect below */ }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function onEvent(block) {
  const data = block.split('\n').find((line) => line.startsWith('data: '));
  if (!data) return; // a comment (keep-alive)
  const e = JSON.parse(data.slice(6));
  const view = [...cameraViews.values()].find((v) => v.item.dataset.cameraName === e.camera);
  if (!view) return;
  const who = e.event === 'appeared' ? 'someone' : (e.name ?? 'unknown');
  view.events.textContent = `${e.event} ${who}`;
  if (e.event === 'left') loadAppearances(Number(view.item.dataset.cameraId));
}

$('camera-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = {
    name: $('camera-name').value.trim(),
    url: $('camera-url').value.trim(),
    fps: Number($('camera-fps').value),
    detector: $('camera-detector').value,
  };
  try {
    const camera = await api('/cameras', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    $('camera-status').textContent = `Watching ${camera.name} (${camera.url}).`;
    $('camera-url').value = ''; // the URL may hold a password: do not leave it on screen
    await loadCameras();
  } catch (e) {
    $('camera-status').textContent = e.message;
  }
});
$('refresh-cameras').addEventListener('click', loadCameras);
$('key-form').addEventListener('submit', loadCameras);

if (apiKey()) loadCameras();
setInterval(refreshPictures, PICTURE_INTERVAL_MS);
setInterval(refreshStates, 5000);
followEvents();
