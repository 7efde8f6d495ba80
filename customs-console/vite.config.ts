import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/** Served by the server at /customs/ (CUSTOMS_UI_DIST_DIR); `npm run dev -w customs-console` proxies to a local server. */
export default defineConfig({
  base: '/customs/',
  plugins: [vue()],
  resolve: { conditions: ['source'] },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'http://127.0.0.1:3000', ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        // the frameworks change less often than the pages: their own files cache apart
        manualChunks(id: string) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts';
          if (id.includes('node_modules/element-plus')) return 'element-plus';
          if (id.includes('node_modules')) return 'vendor';
        },
      },
    },
  },
});
