// Drives the official CompreFace JavaScript SDK (@exadel/compreface-js-sdk 1.0.0) against a running `visage serve`, the
// way an application built on it would: subjects, the face collection, recognition, detection, verification.
//   node tests/compreface-sdk/sdk-test.mjs http://127.0.0.1 PORT RECOGNITION_KEY DETECTION_KEY VERIFICATION_KEY FACES_DIR
// Prints one JSON object: what each call answered (or the error body it got), for the test in tests/Visage.Tests to check.
// Paths start with '.' on purpose: the SDK takes a string that starts with '.' for a file path.
import { CompreFace } from '@exadel/compreface-js-sdk';
import fs from 'node:fs';
import path from 'node:path';

const [server, port, recognitionKey, detectionKey, verificationKey, facesDir] = process.argv.slice(2);
const compreFace = new CompreFace(server, Number(port));
const recognition = compreFace.initFaceRecognitionService(recognitionKey);
const detection = compreFace.initFaceDetectionService(detectionKey);
const verification = compreFace.initFaceVerificationService(verificationKey);
const photo = (person, n) => './' + path.relative(process.cwd(), path.join(facesDir, person, `${person}_${String(n).padStart(4, '0')}.jpg`));

// The SDK keeps the URL of a collection or subjects object between calls: a fresh one per call, as its examples do.
const faces = () => recognition.getFaceCollection();
const subjects = () => recognition.getSubjects();
const call = async (promise) => {
  try { return await promise; } catch (error) { return { status: error.response?.status, error: error.response?.data ?? String(error) }; }
};

const out = {};
out.addSubject = await call(subjects().add('Edward Lu'));
out.addFace = await call(faces().add(photo('Edward_Lu', 2), 'Edward Lu'));
out.addFaceWithOption = await call(faces().add(photo('Edward_Lu', 3), 'Edward Lu', { det_prob_threshold: 0.8 }));
out.addStrangerSubject = await call(faces().add(photo('Joseph_Biden', 2), 'Joseph Biden'));
out.list = await call(faces().list());
out.subjects = await call(subjects().list());
out.recognize = await call(recognition.recognize(photo('Edward_Lu', 4), { limit: 0, prediction_count: 2, det_prob_threshold: 0.8, face_plugins: 'landmarks', status: 'true' }));
out.recognizeStranger = await call(recognition.recognize(photo('Edmund_Stoiber', 2), {}));
out.recognizeBase64 = await call(recognition.recognize(fs.readFileSync(path.join(facesDir, 'Edward_Lu', 'Edward_Lu_0005.jpg')).toString('base64'), {}));
out.recognizeNoFace = await call(recognition.recognize('./' + path.relative(process.cwd(), path.join(facesDir, '..', 'nonfaces', 'landscape.jpg')), {}));
out.detect = await call(detection.detect('./' + path.relative(process.cwd(), path.join(facesDir, '..', 'groups', 'group_3_faces.jpg')), { limit: 0 }));
out.verify = await call(verification.verify(photo('Edward_Lu', 2), photo('Edward_Lu', 6), {}));
out.verifyStranger = await call(verification.verify(photo('Edward_Lu', 2), photo('Edmund_Stoiber', 2), {}));
const imageId = out.addFace?.image_id;
out.verifyStored = await call(faces().verify(photo('Edward_Lu', 5), imageId, {}));
out.rename = await call(subjects().rename('Joseph Biden', 'Joe Biden'));
out.deleteFace = await call(faces().delete(imageId));
out.deleteSubjectFaces = await call(faces().delete_all_subject('Joe Biden'));
out.deleteSubject = await call(subjects().delete('Joe Biden'));
out.subjectsAfter = await call(subjects().list());
console.log(JSON.stringify(out));
