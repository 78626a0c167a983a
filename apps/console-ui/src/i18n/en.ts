/** English labels; zh-CN.ts must have the same keys (the type below enforces it). */
export const en = {
  app: { title: 'Console', language: 'Language', skip: 'Skip to content' },
  nav: { users: 'Users', roles: 'Roles', profile: 'Profile', deliveries: 'Deliveries', audit: 'Audit log', menu: 'Menu' },
  common: {
    save: 'Save', cancel: 'Cancel', confirm: 'Confirm', close: 'Close', delete: 'Delete', edit: 'Edit', new: 'New',
    loading: 'Loading…', empty: 'Nothing here yet', retry: 'Retry', error: 'Something went wrong', copy: 'Copy',
    copied: 'Copied', actions: 'Actions', more: 'More actions for {name}', optional: 'optional', never: 'Never',
    yes: 'Yes', no: 'No', all: 'All', search: 'Search', refresh: 'Refresh', select: 'Select {name}', selectAll: 'Select all',
    saved: 'Saved', back: 'Back',
  },
  pagination: { page: 'page', total: '{total} in total', perPage: 'per page', prev: 'Previous', next: 'Next' },
  login: {
    title: 'Log in to the console', username: 'Username', password: 'Password', rememberMe: 'Remember me',
    submit: 'Log in', forgot: 'Forgot password?', failed: 'Login failed',
    passwordChanged: 'Your password has been changed. Log in with your new password.',
  },
  forgot: {
    title: 'Reset your password', intro: 'Enter your username and the email address of your account. If they match, we mail you a link to set a new password.',
    username: 'Username', email: 'Email', submit: 'Send reset link', sent: 'If the username and email match an account, a reset link is on its way. Check your inbox.', backToLogin: 'Back to login',
  },
  reset: {
    title: 'Set a new password', newPassword: 'New password', confirmPassword: 'Confirm new password', submit: 'Set password',
    mismatch: 'The two passwords differ', done: 'Your password has been changed. You can log in with it now.', invalidLink: 'This link is incomplete. Ask for a new one.', login: 'Go to login',
  },
  header: { logout: 'Log out', signedInAs: 'Signed in as {name}' },
  users: {
    title: 'Users', search: 'Search users', searchPlaceholder: 'Username, display name or email', role: 'Role', allRoles: 'All roles',
    sort: 'Sort', newest: 'Newest first', oldest: 'Oldest first', disabled: 'Disabled', createdAt: 'Created {time}',
    selected: '{count} selected', disable: 'Disable', enable: 'Enable', delete: 'Delete', noRoles: 'No roles', total: '{total} users',
    confirmEnable: 'Enable {name}?', confirmDisable: 'Disable {name}?', confirmDisableText: 'Their sessions and tokens stop working until enabled again.',
    confirmBatchDisable: 'Disable {count} users?', confirmBatchEnable: 'Enable {count} users?',
    confirmDelete: 'Delete {name}?', confirmDeleteText: 'This cannot be undone.', confirmBatchDelete: 'Delete {count} users?',
    done: 'Done', create: 'New user', createdToast: 'User {name} created',
  },
  userForm: {
    username: 'Username', displayName: 'Display name', email: 'Email', password: 'Password', roles: 'Roles', bio: 'Bio', phone: 'Phone',
    editTitle: 'Edit {name}',
  },
  detail: {
    title: 'User {name}', email: 'Email', verified: 'Verified', notVerified: 'Not verified', roles: 'Roles', bio: 'Bio',
    createdAt: 'Created', username: 'Username', displayName: 'Display name', status: 'Status', active: 'Active', notFound: 'User not found',
    edit: 'Edit', changePassword: 'Change password', grantRoles: 'Grant roles', sendRecovery: 'Send recovery email', copyRecovery: 'Copy recovery link',
    recoverySent: 'Recovery email sent to {name}', recoveryLink: 'Recovery link', recoveryLinkText: 'Hand this single-use link to the user. It is shown once.',
    confirmRecovery: 'Send a recovery email to {name}?', confirmRecoveryText: 'The user receives a single-use link to set a new password.',
  },
  password: { title: 'Change password', newPassword: 'New password', confirm: 'Confirm new password', oldPassword: 'Current password', changed: 'Password changed', mismatch: 'The two passwords differ' },
  passwordChange: {
    title: 'Choose a new password', intro: 'You must choose a new password before you continue.',
    rules: 'Between 8 and 128 characters.', submit: 'Change password and continue',
    wrongCurrent: 'The current password is wrong.', sameAsCurrent: 'The new password must differ from the current one.',
    refused: 'The new password was refused: {reason}',
    tooManySeconds: 'Too many wrong passwords. Try again in {seconds} seconds.', tooManyMinutes: 'Too many wrong passwords. Try again in {minutes} minutes.',
    done: 'Your password has been changed',
  },
  grant: { title: 'Grant roles to {name}', granted: 'Roles updated' },
  profile: {
    title: 'Profile', info: 'Profile', security: 'Password', email: 'Email', tokens: 'Personal access tokens', displayName: 'Display name', bio: 'Bio',
    avatar: 'Avatar', uploadAvatar: 'Upload avatar', removeAvatar: 'Remove avatar', avatarUpdated: 'Avatar updated',
    currentEmail: 'Current email', newEmail: 'Email address', sendCode: 'Send code', resendIn: 'Resend in {seconds} s', code: 'Verification code',
    currentPassword: 'Current password', verify: 'Verify', codeSent: 'A code was sent to {email}', verifiedToast: 'Email verified',
  },
  tokens: {
    new: 'New token', name: 'Name', expiresAt: 'Expires at', expiresHint: 'Leave empty for a token that never expires', description: 'Description', roles: 'Roles',
    created: 'Your new token', createdText: 'Copy it now: it is shown only once.', status: 'Status', active: 'Active', revoked: 'Revoked', expired: 'Expired',
    lastUsed: 'Last used', expires: 'Expires', revoke: 'Revoke', restore: 'Restore', confirmRevoke: 'Revoke {name}?', confirmDelete: 'Delete {name}?',
    confirmRevokeText: 'Calls with it will be refused until it is restored.', token: 'Token', none: 'No tokens yet',
  },
  roles: {
    title: 'Roles', new: 'New role', templates: 'Role templates', custom: 'Custom', builtIn: 'Built-in', dependsOn: 'Depends on', name: 'Display name',
    permissions: 'Permissions', confirmDelete: 'Delete role {name}?', confirmDeleteText: 'Users holding it lose its permissions.', editTitle: 'Edit role {name}',
    createTitle: 'New role', saved: 'Role saved', users: 'Users', none: 'No permissions', includes: 'Includes {list}',
  },
  deliveries: {
    title: 'Deliveries', status: 'Status', recipient: 'Recipient', template: 'Template', attempts: 'Attempts', lastError: 'Last error',
    createdAt: 'Created', sentAt: 'Sent', channel: 'Channel', allStatuses: 'All statuses',
  },
  audit: { title: 'Audit log', action: 'Action', actor: 'Actor', target: 'Target', ip: 'IP', outcome: 'Outcome', time: 'Time', details: 'Details', filter: 'Filter' },
  errors: { notFound: 'Page not found', forbidden: 'You are not allowed to see this page.', network: 'The server cannot be reached' },
};

export type Messages = typeof en;
