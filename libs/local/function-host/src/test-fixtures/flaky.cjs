// Fails until the attempt given by event.succeedOnAttempt; the attempt count is kept in
// event.counterFile so that it survives the environment and counts every invocation.
const { existsSync, readFileSync, writeFileSync } = require('node:fs');

exports.handler = async (event) => {
  const attempt = (existsSync(event.counterFile) ? Number(readFileSync(event.counterFile, 'utf8')) : 0) + 1;
  writeFileSync(event.counterFile, String(attempt));
  if (event.succeedOnAttempt === undefined || attempt < event.succeedOnAttempt) {
    throw new Error(`attempt ${attempt} failed`);
  }
  return { attempt };
};
