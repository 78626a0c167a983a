import { useI18n } from 'vue-i18n';

/** Dates in the chosen language. */
export function useFormat() {
  const { locale } = useI18n();
  return {
    dateTime(value?: string | null): string {
      if (!value) {
        return '—';
      }
      return new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value));
    },
  };
}
