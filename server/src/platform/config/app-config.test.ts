import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './app-config.js';

const base = { DATABASE_URL: 'postgres://wms@127.0.0.1/wms', JWT_SECRET: 'x'.repeat(32) };

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig(base);
    expect(config.HTTP_PORT).toBe(3000);
    expect(config.MQTT_URL).toBeUndefined();
    expect(config.MQTT_EMBEDDED_PORT).toBe(1884);
  });

  it('names every bad variable', () => {
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', JWT_SECRET: 'short', HTTP_PORT: 'eighty' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('DATABASE_URL: must be a postgres:// URL');
      expect(message).toContain('JWT_SECRET: must be at least 32 characters');
      expect(message).toContain('HTTP_PORT');
    }
  });
});
