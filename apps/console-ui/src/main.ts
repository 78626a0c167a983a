import '@halo-dev/components/dist/style.css';
import './styles.css';
import { VueQueryPlugin, QueryClient } from '@tanstack/vue-query';
import { createApp } from 'vue';
import App from './App.vue';
import { i18n } from './i18n';
import { router } from './router';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, error) => count < 1 && !(error as { response?: { status?: number } }).response,
      refetchOnWindowFocus: false,
    },
  },
});

document.documentElement.lang = i18n.global.locale.value;
createApp(App).use(i18n).use(router).use(VueQueryPlugin, { queryClient }).mount('#app');
