// The face-api.js peer of `visage bench --peer`: face-api.js 1.7.15 on the tfjs wasm backend (one thread, SIMD),
// driven over stdin/stdout with one JSON object per line. Every stage is timed here, inside Node, so the pipe between
// the two processes is not part of any figure; Visage interleaves its own runs with these.
//   {"cmd":"init"}                                                   -> {"backend","threads","simd","versions"}
//   {"cmd":"load","id","rgb","width","height","jpeg"?}                -> {"faces"}   (raw RGB8 file: the pixels Visage decoded)
//   {"cmd":"run","id","stage"}                                        -> {"ms","items"}
//   {"cmd":"describe","id"}                                           -> {"faces":[{"box","score","descriptor"}]}
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const tf = require('@tensorflow/tfjs');
const wasm = require('@tensorflow/tfjs-backend-wasm');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
const jpeg = require('jpeg-js');

const modelDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
const ssdOptions = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5, maxResults: 100 });
const tinyOptions = new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.5 });
const images = new Map(); // id -> { tensor, jpegBytes, detections, chips }

async function init() {
  wasm.setWasmPaths(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep);
  await tf.setBackend('wasm');
  await tf.ready();
  for (const net of [faceapi.nets.ssdMobilenetv1, faceapi.nets.tinyFaceDetector, faceapi.nets.faceLandmark68Net, faceapi.nets.faceRecognitionNet]) {
    await net.loadFromDisk(modelDir);
  }
  const env = tf.env();
  return {
    backend: tf.getBackend(),
    threads: wasm.getThreadsCount ? wasm.getThreadsCount() : 1,
    simd: await env.getAsync('WASM_HAS_SIMD_SUPPORT'),
    versions: { faceapi: faceapi.version, tfjs: tf.version_core, node: process.version },
  };
}

async function load({ id, rgb, width, height, jpeg: jpegPath }) {
  const pixels = fs.readFileSync(rgb);
  const tensor = tf.tensor3d(Int32Array.from(pixels), [height, width, 3], 'int32');
  const detections = await faceapi.detectAllFaces(tensor, ssdOptions);
  const boxes = detections.map((d) => d.box);
  // 150x150 chips of the detected faces, for the recognition net alone (eight of them, repeating faces if fewer).
  const crops = boxes.length ? await faceapi.extractFaceTensors(tensor, boxes) : [tf.slice3d(tensor, [0, 0, 0], [150, 150, 3])];
  const chips = crops.map((c) => tf.tidy(() => tf.image.resizeBilinear(c, [150, 150]).toInt()));
  tf.dispose(crops);
  images.set(id, { tensor, jpegBytes: jpegPath ? fs.readFileSync(jpegPath) : null, detections, chips });
  return { faces: detections.length };
}

// Each stage returns how many items it processed (images or faces), so per-face figures can be derived.
const stages = {
  'decode': async (img) => { jpeg.decode(img.jpegBytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 2048 }); return 1; },
  'detect-ssd': async (img) => { await faceapi.detectAllFaces(img.tensor, ssdOptions); return 1; },
  'detect-tiny': async (img) => { await faceapi.detectAllFaces(img.tensor, tinyOptions); return 1; },
  'landmarks': async (img) => {
    const faces = await faceapi.extractFaceTensors(img.tensor, img.detections.map((d) => d.box));
    for (const f of faces) await faceapi.nets.faceLandmark68Net.detectLandmarks(f);
    tf.dispose(faces);
    return Math.max(1, faces.length);
  },
  'describe': async (img) => {
    // As face-api's pipeline does it: one face at a time, cut from the photo tensor, padded, resized, described.
    for (const d of img.detections) {
      const [face] = await faceapi.extractFaceTensors(img.tensor, [d.box]);
      await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(face);
      face.dispose();
    }
    return Math.max(1, img.detections.length);
  },
  'embed-b1': async (img) => { await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(img.chips[0]); return 1; },
  'embed-b8': async (img) => {
    const batch = Array.from({ length: 8 }, (_, i) => img.chips[i % img.chips.length]);
    await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(batch);
    return 8;
  },
  'analyze-parity': async (img) => {
    await faceapi.detectAllFaces(img.tensor, ssdOptions).withFaceLandmarks().withFaceDescriptors();
    return 1;
  },
  'decode-analyze': async (img) => {
    // What a face-api.js service does with an uploaded photo: decode it, then its whole pipeline.
    const raw = jpeg.decode(img.jpegBytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 2048 });
    const tensor = tf.tensor3d(Int32Array.from(raw.data), [raw.height, raw.width, 3], 'int32');
    await faceapi.detectAllFaces(tensor, ssdOptions).withFaceLandmarks().withFaceDescriptors();
    tensor.dispose();
    return 1;
  },
  'net-ssd': async () => netAlone(faceapi.nets.ssdMobilenetv1, [1, 512, 512, 3], (o) => [o.boxes, o.scores]),
  'net-recognition-b1': async () => netAlone(faceapi.nets.faceRecognitionNet, [1, 150, 150, 3], (o) => [o]),
};

async function netAlone(net, shape, outputs) {
  const input = tf.zeros(shape, 'float32');
  const out = await net.forward(input);
  for (const t of outputs(out).flat()) { t.dataSync(); t.dispose(); }
  input.dispose();
  return 1;
}

async function run({ id, stage }) {
  const img = images.get(id);
  const fn = stages[stage];
  if (!fn) throw new Error(`unknown stage ${stage}`);
  const t0 = process.hrtime.bigint();
  const items = await fn(img);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, items };
}

async function describe({ id }) {
  const r = await faceapi.detectAllFaces(images.get(id).tensor, ssdOptions).withFaceLandmarks().withFaceDescriptors();
  return { faces: r.map((f) => ({ box: [f.detection.box.x, f.detection.box.y, f.detection.box.width, f.detection.box.height], score: f.detection.score, descriptor: Array.from(f.descriptor) })) };
}

const commands = { init, load, run, describe, stages: async () => ({ stages: Object.keys(stages) }) };
const rl = readline.createInterface({ input: process.stdin, terminal: false });
let queue = Promise.resolve();
rl.on('line', (line) => {
  queue = queue.then(async () => {
    let reply;
    try {
      const msg = JSON.parse(line);
      const handler = commands[msg.cmd];
      if (!handler) throw new Error(`unknown command ${msg.cmd}`);
      reply = { ok: true, ...(await handler(msg)) };
    } catch (e) {
      reply = { ok: false, error: String(e && e.stack || e) };
    }
    process.stdout.write(JSON.stringify(reply) + '\n');
  });
});
rl.on('close', () => { queue.then(() => process.exit(0)); });
