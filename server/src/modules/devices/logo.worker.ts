// Runs in a worker thread (zpl-graphic.ts starts it): decoding a logo and encoding it as a ZPL ^GF
// field is tens of milliseconds of CPU and megabytes of garbage that stay off the server's event
// loop and heap. Plain TypeScript with package imports only, so Node runs it from source as well.
import { parentPort } from 'node:worker_threads';
import { PNG } from 'pngjs';
import zplImage from 'zpl-image';

interface Job {
  id: number;
  png: Uint8Array;
  black: number;
}

parentPort?.on('message', (job: Job) => {
  try {
    const image = PNG.sync.read(Buffer.from(job.png.buffer, job.png.byteOffset, job.png.byteLength));
    const result = zplImage.rgbaToZ64(image.data, image.width, { black: job.black });
    parentPort?.postMessage({
      id: job.id,
      field: `^GFA,${result.length},${result.length},${result.rowlen},${result.z64}`,
    });
  } catch (error) {
    parentPort?.postMessage({ id: job.id, error: `the logo is not a readable PNG image: ${(error as Error).message}` });
  }
});
