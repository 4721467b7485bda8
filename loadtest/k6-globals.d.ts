// k6 provides `console` (log, info, warn, error, debug) but @types/k6 does not declare it, and the DOM
// lib would also declare browser APIs k6 lacks (fetch, setInterval…): declare only what k6 has.
declare global {
  const console: {
    log(...data: unknown[]): void;
    info(...data: unknown[]): void;
    warn(...data: unknown[]): void;
    error(...data: unknown[]): void;
    debug(...data: unknown[]): void;
  };
}

export {};
