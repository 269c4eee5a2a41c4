/**
 * A stand-in service for graceful-stop.test.ts's launcher test (dev/processes.ts): says when it is
 * ready, when it is told to stop, and when it has stopped a moment later, as a draining service would.
 */
const name = process.env.SERVICE_NAME;
process.on('SIGTERM', () => {
  console.log(`${name} stopping`);
  setTimeout(() => {
    console.log(`${name} stopped`);
    process.exit(0);
  }, 200);
});
setInterval(() => {}, 60_000);
console.log(`${name} ready`);
