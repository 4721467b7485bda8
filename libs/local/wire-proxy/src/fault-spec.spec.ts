import { describeFaults, FaultSpecError, faultSpecHelp, noFaults, parseFaultSpec, seededRandom } from './fault-spec.js';

function parseError(text: string): FaultSpecError {
  try {
    parseFaultSpec(text);
  } catch (error) {
    if (error instanceof FaultSpecError) return error;
    throw error;
  }
  throw new Error(`parseFaultSpec(${JSON.stringify(text)}) was accepted`);
}

describe('parseFaultSpec', () => {
  it('reads every fault the command line can name', () => {
    // Prepare
    const text =
      'throttle=0.1,unprocessed=0.3,delete-failures=0.25,latency=5-20,resets=0.02,short-poll=aws,' +
      'kill-after-write=0.2,stall=0.003,stall-ms=8000,send-failures=0.1,duplicate-deliveries=0.4,seed=7';
    // Act
    const spec = parseFaultSpec(text);
    // Assess
    expect(spec).toEqual({
      throttle: 0.1,
      unprocessed: 0.3,
      deleteFailures: 0.25,
      latencyMs: [5, 20],
      resets: 0.02,
      shortPollSampling: true,
      killAfterWrite: 0.2,
      stall: 0.003,
      stallMs: 8000,
      sendFailures: 0.1,
      duplicateDeliveries: 0.4,
      seed: 7,
    });
  });

  it('leaves every fault off for an empty text, and keeps the defaults of what is not named', () => {
    // Act
    const empty = parseFaultSpec('');
    const onlyThrottle = parseFaultSpec(' throttle = 0.5 , ');
    // Assess
    expect(empty).toEqual(noFaults);
    expect(onlyThrottle).toEqual({ ...noFaults, throttle: 0.5 });
  });

  it('never shares the latency range with noFaults, so changing one spec leaves the defaults alone', () => {
    // Act
    const spec = parseFaultSpec('');
    spec.latencyMs[1] = 99;
    // Assess
    expect(noFaults.latencyMs).toEqual([0, 0]);
  });

  it('reads a fixed latency as a range of one value', () => {
    expect(parseFaultSpec('latency=15').latencyMs).toEqual([15, 15]);
    expect(parseFaultSpec('latency=0-5').latencyMs).toEqual([0, 5]);
  });

  it('reads short-poll=emulator as the emulator’s full answers', () => {
    expect(parseFaultSpec('short-poll=aws,short-poll=emulator').shortPollSampling).toBe(false);
  });

  it('accepts the ends of a share, 0 and 1', () => {
    expect(parseFaultSpec('resets=0,throttle=1')).toMatchObject({ resets: 0, throttle: 1 });
  });

  it.each([
    ['throttle=1.5', 'throttle must be a share between 0 and 1, got "1.5".'],
    ['unprocessed=-0.1', 'unprocessed must be a share between 0 and 1, got "-0.1".'],
    ['delete-failures=lots', 'delete-failures must be a share between 0 and 1, got "lots".'],
    ['resets=', 'resets must be a share between 0 and 1, got "".'],
    ['kill-after-write', 'kill-after-write must be a share between 0 and 1, got "".'],
    ['stall=NaN', 'stall must be a share between 0 and 1, got "NaN".'],
    ['send-failures=Infinity', 'send-failures must be a share between 0 and 1, got "Infinity".'],
    ['duplicate-deliveries=2', 'duplicate-deliveries must be a share between 0 and 1, got "2".'],
    ['stall-ms=1.5', 'stall-ms must be a whole number of milliseconds, got "1.5".'],
    ['latency=fast', 'latency must be MS or MIN-MAX in milliseconds, got "fast".'],
    ['latency=20-5', 'latency range 20-5 runs backwards.'],
    ['short-poll=sometimes', 'short-poll must be aws or emulator, got "sometimes".'],
    ['seed=-3', 'seed must be a whole number, got "-3".'],
  ])('refuses %s, naming the bad part', (text, message) => {
    // Act
    const error = parseError(text);
    // Assess
    expect(error.name).toBe('FaultSpecError');
    expect(error.message).toBe(message);
  });

  it('names the bad part even after good ones', () => {
    expect(parseError('throttle=0.1,latency=9-3,seed=2').message).toBe('latency range 9-3 runs backwards.');
  });

  it('refuses an unknown fault and lists the known ones', () => {
    // Act
    const error = parseError('throttle=0.1,timeouts=0.2');
    // Assess
    expect(error.message).toBe(`Unknown fault "timeouts"; known: ${faultSpecHelp}.`);
    for (const name of ['throttle', 'unprocessed', 'delete-failures', 'latency', 'resets', 'short-poll', 'kill-after-write', 'stall', 'stall-ms', 'send-failures', 'duplicate-deliveries', 'seed']) {
      expect(error.message).toContain(`${name}=`);
    }
  });
});

describe('describeFaults', () => {
  it('writes the faults a spec turns on as --faults takes them, so that they read back the same', () => {
    // Prepare
    const text =
      'throttle=0.1,unprocessed=0.3,delete-failures=0.25,resets=0.02,kill-after-write=0.2,stall=0.003,' +
      'send-failures=0.1,duplicate-deliveries=0.4,latency=5-20,short-poll=aws,stall-ms=8000';
    const spec = parseFaultSpec(text);

    // Act
    const described = describeFaults(spec);

    // Assess
    expect(described).toBe(text);
    expect(parseFaultSpec(described)).toEqual({ ...spec, seed: noFaults.seed });
  });

  it('names only what is on: a fixed latency as one value, nothing for a spec that only counts', () => {
    // Act
    const some = describeFaults(parseFaultSpec('latency=7,throttle=0,seed=3,short-poll=emulator'));
    const none = describeFaults(parseFaultSpec(''));

    // Assess
    expect(some).toBe('latency=7');
    expect(none).toBe('');
  });
});

describe('seededRandom', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    // Prepare
    const first = seededRandom(7);
    const again = seededRandom(7);
    const other = seededRandom(8);
    // Act
    const a = Array.from({ length: 50 }, first);
    const b = Array.from({ length: 50 }, again);
    const c = Array.from({ length: 50 }, other);
    // Assess
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('draws values in [0, 1) spread over the whole interval', () => {
    // Prepare
    const random = seededRandom(42);
    const deciles = new Array(10).fill(0);
    // Act
    const values = Array.from({ length: 10_000 }, random);
    // Assess
    for (const value of values) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
      deciles[Math.floor(value * 10)]++;
    }
    // 1,000 expected per decile; ±150 is more than 4 standard deviations.
    for (const count of deciles) expect(Math.abs(count - 1_000)).toBeLessThan(150);
    expect(new Set(values).size).toBeGreaterThan(9_990);
  });
});
