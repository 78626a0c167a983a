import { Toast } from '@halo-dev/components';

/** Short confirmations after an action; errors stay on the page in a role="alert" box instead. */
export function toastSuccess(message: string): void {
  Toast.success(message);
}
