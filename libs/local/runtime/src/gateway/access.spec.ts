import { cookieValue, dashboardTokenFor, isLoopbackHost, sameSecret } from './access.js';

describe('isLoopbackHost', () => {
  it.each(['localhost', 'localhost:3000', 'LOCALHOST:3000', '127.0.0.1', '127.0.0.1:3000', '127.1.2.3:80', '127.1:3000', '[::1]', '[::1]:3000', '[0:0:0:0:0:0:0:1]:3000'])(
    'accepts %s',
    (host) => {
      // Prepare / Act
      const accepted = isLoopbackHost(host);

      // Assess
      expect(accepted).toBe(true);
    },
  );

  it.each([
    undefined,
    '',
    'evil.example',
    'evil.example:3000',
    'localhost.evil.example',
    '127.0.0.1.nip.io',
    'evil.example@localhost',
    '10.0.0.1:3000',
    '0.0.0.0:3000',
    '[::]:3000',
    '[::ffff:10.0.0.1]',
    'localhost/x',
    'local host',
  ])('refuses %j', (host) => {
    // Prepare / Act
    const accepted = isLoopbackHost(host);

    // Assess
    expect(accepted).toBe(false);
  });
});

describe('sameSecret', () => {
  it('matches only the same text, whatever the lengths', () => {
    // Prepare
    const key = 'secret-key';

    // Act
    const answers = ['secret-key', 'secret-kez', 'secret', 'secret-key-longer', '', undefined].map((given) => sameSecret(given, key));

    // Assess
    expect(answers).toEqual([true, false, false, false, false, false]);
  });
});

describe('dashboardTokenFor', () => {
  it('gives one key one URL-safe token that does not show the key, and other keys other tokens', () => {
    // Prepare
    const key = 'my-key';

    // Act
    const token = dashboardTokenFor(key);

    // Assess
    expect(token).toBe(dashboardTokenFor(key));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token).not.toContain(key);
    expect(token).not.toBe(dashboardTokenFor('my-kez'));
  });
});

describe('cookieValue', () => {
  it('finds a cookie among others, and nothing when it is absent', () => {
    // Prepare
    const header = 'a=1; fanout_dashboard_3000=tok=en ;b=2';

    // Act
    const values = [cookieValue(header, 'fanout_dashboard_3000'), cookieValue(header, 'fanout_dashboard_3001'), cookieValue(undefined, 'a')];

    // Assess
    expect(values).toEqual(['tok=en', undefined, undefined]);
  });
});
