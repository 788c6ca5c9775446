import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The dashboard: built once into dist/renderer, loaded by the Electron window and served by `gatehouse serve` at /.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true },
});
