import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The console is static files under /console/ of the gateway: hashed assets (cached for good)
 * and index.html (never cached). Everything it needs is bundled; it requests nothing but the gateway.
 */
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', assetsDir: 'assets', sourcemap: true },
});
