// Ends its own execution environment when asked: with an error nothing catches, or with
// process.exit; otherwise reports which environment served it.
const { threadId } = require('node:worker_threads');

exports.handler = async (event) => {
  if (event?.uncaught) {
    setTimeout(() => {
      throw new TypeError('connection reset in a background task');
    }, 0);
    return new Promise(() => undefined);
  }
  if (event?.exit !== undefined) process.exit(event.exit);
  return { threadId };
};
