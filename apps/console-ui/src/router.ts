import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { setPasswordChangeRequiredHandler, setUnauthorizedHandler } from './api/http';
import { can, clearSession, loadSession, markPasswordChangeRequired, mustChangePassword, useSession } from './composables/use-session';

declare module 'vue-router' {
  interface RouteMeta {
    /** Public pages need no session (login, password reset). */
    public?: boolean;
    /** Any one of these UI permissions opens the page. */
    permissions?: string[];
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
  { path: '/forgot-password', name: 'forgot-password', component: () => import('./views/ForgotPasswordView.vue'), meta: { public: true } },
  { path: '/password-reset', name: 'password-reset', component: () => import('./views/PasswordResetView.vue'), meta: { public: true } },
  // Outside the console layout: no menu, nothing else to reach until the password is changed.
  { path: '/password-change', name: 'password-change-required', component: () => import('./views/PasswordChangeRequiredView.vue') },
  {
    path: '/',
    component: () => import('./layouts/ConsoleLayout.vue'),
    children: [
      { path: '', redirect: () => (can('system:users:view', 'system:users:manage') ? '/users' : '/profile') },
      { path: 'users', name: 'users', component: () => import('./views/UserListView.vue'), meta: { permissions: ['system:users:view', 'system:users:manage'] } },
      { path: 'users/:name', name: 'user-detail', component: () => import('./views/UserDetailView.vue'), meta: { permissions: ['system:users:view', 'system:users:manage'] } },
      { path: 'profile', name: 'profile', component: () => import('./views/ProfileView.vue') },
      { path: 'roles', name: 'roles', component: () => import('./views/RolesView.vue'), meta: { permissions: ['system:roles:view', 'system:roles:manage'] } },
      // Deliveries and the audit log are super-role only on the server; `*` is its UI permission.
      { path: 'deliveries', name: 'deliveries', component: () => import('./views/DeliveriesView.vue'), meta: { permissions: ['*'] } },
      { path: 'audit', name: 'audit', component: () => import('./views/AuditView.vue'), meta: { permissions: ['*'] } },
      { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue') },
    ],
  },
];

export const router = createRouter({ history: createWebHistory('/console/'), routes });

let sessionChecked = false;

router.beforeEach(async (to) => {
  if (to.meta.public) {
    return true;
  }
  const { current } = useSession();
  if (!current.value || !sessionChecked) {
    sessionChecked = true;
    const loggedIn = await loadSession().catch(() => false);
    if (!loggedIn) {
      return { name: 'login', query: { redirect: to.fullPath } };
    }
  }
  if (mustChangePassword()) {
    // Keycloak's "Update password" required action: nothing else until it is done; then on to where the user was going.
    // (`/` is resolved to a landing page before permissions are known: keep `/` itself.)
    return to.name === 'password-change-required' ? true : { name: 'password-change-required', query: { redirect: (to.redirectedFrom ?? to).fullPath } };
  }
  if (to.name === 'password-change-required') {
    return '/';
  }
  if (to.meta.permissions && !can(...to.meta.permissions)) {
    return { name: 'not-found', params: { pathMatch: to.path.slice(1).split('/') }, query: { forbidden: '1' } };
  }
  return true;
});

/** A 401 in the middle of a session (expired, revoked, logged out elsewhere) goes back to the login page. */
setUnauthorizedHandler(() => {
  const route = router.currentRoute.value;
  if (route.meta.public) {
    return;
  }
  clearSession();
  void router.replace({ name: 'login', query: { redirect: route.fullPath } });
});

/** A call refused because the password must be changed first (flag set mid-session) leads to the page for it. */
setPasswordChangeRequiredHandler(() => {
  markPasswordChangeRequired();
  const route = router.currentRoute.value;
  if (route.meta.public || route.name === 'password-change-required') {
    return;
  }
  void router.replace({ name: 'password-change-required', query: { redirect: route.fullPath } });
});

/** The login page has just loaded the new session: the guard need not load it again. */
export function markSessionLoaded(): void {
  sessionChecked = true;
}
