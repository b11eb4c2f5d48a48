/** Chooses the backend from the configuration: a server URL means server mode, otherwise the embedded store. */
import type { Config } from '../config/load-config.js';
import { openEmbeddedStore } from './embedded-store.js';
import { openServerStore } from './server-store.js';
import type { ClickHouseStore } from './store.js';

export function openStore(cfg: Config): ClickHouseStore {
  if (cfg.clickhouseUrl) {
    return openServerStore({
      url: cfg.clickhouseUrl,
      username: cfg.clickhouseUser,
      password: cfg.clickhousePassword,
      database: cfg.clickhouseDatabase,
      timeoutMs: cfg.clickhouseTimeoutMs,
    });
  }
  return openEmbeddedStore({ dataDir: cfg.dataDir, database: cfg.clickhouseDatabase });
}
