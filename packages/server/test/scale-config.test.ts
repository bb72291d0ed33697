import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config.js';
import { readScaleConfig } from '../src/scale/config.js';

describe('DOTBASE_TRACKING_LEASE_SECONDS', () => {
  it('sets how long an instance’s claims outlive its last renewal, in seconds', () => {
    expect(readScaleConfig({ DATABASE_URL: 'postgres://db/dotbase' }).trackingLeaseMs).toBeUndefined();
    expect(readScaleConfig({ DATABASE_URL: 'postgres://db/dotbase', DOTBASE_TRACKING_LEASE_SECONDS: '2.5' }).trackingLeaseMs).toBe(2500);
  });

  it('refuses a value that is no number of seconds from 1 to 3600, naming the variable', () => {
    for (const value of ['0', '-3', 'soon', '3601', 'Infinity']) {
      expect(() => readScaleConfig({ DOTBASE_TRACKING_LEASE_SECONDS: value }), value).toThrow(ConfigError);
      expect(() => readScaleConfig({ DOTBASE_TRACKING_LEASE_SECONDS: value }), value).toThrow(/DOTBASE_TRACKING_LEASE_SECONDS/);
    }
  });
});
