import type { Messages } from './en';

/** 简体中文 */
export const zhCN: Messages = {
  app: { title: '控制台', language: '语言', skip: '跳到内容' },
  nav: { users: '用户', roles: '角色', profile: '个人资料', deliveries: '投递记录', audit: '审计日志', menu: '菜单' },
  common: {
    save: '保存', cancel: '取消', confirm: '确定', close: '关闭', delete: '删除', edit: '编辑', new: '新建',
    loading: '加载中…', empty: '暂无数据', retry: '重试', error: '出错了', copy: '复制',
    copied: '已复制', actions: '操作', more: '{name} 的更多操作', optional: '可选', never: '从不',
    yes: '是', no: '否', all: '全部', search: '搜索', refresh: '刷新', select: '选择 {name}', selectAll: '全选',
    saved: '已保存', back: '返回',
  },
  pagination: { page: '页', total: '共 {total} 项', perPage: '条 / 页', prev: '上一页', next: '下一页' },
  login: {
    title: '登录控制台', username: '用户名', password: '密码', rememberMe: '记住我',
    submit: '登录', forgot: '忘记密码？', failed: '登录失败',
    passwordChanged: '密码已修改，请用新密码登录。',
  },
  forgot: {
    title: '重置密码', intro: '输入用户名和账号的邮箱地址。如果匹配，我们会发送一封设置新密码的邮件。',
    username: '用户名', email: '邮箱', submit: '发送重置链接', sent: '如果用户名和邮箱与某个账号匹配，重置链接已发出，请查收邮件。', backToLogin: '返回登录',
  },
  reset: {
    title: '设置新密码', newPassword: '新密码', confirmPassword: '确认新密码', submit: '设置密码',
    mismatch: '两次输入的密码不一致', done: '密码已修改，现在可以用它登录。', invalidLink: '链接不完整，请重新申请。', login: '去登录',
  },
  header: { logout: '退出登录', signedInAs: '当前用户：{name}' },
  users: {
    title: '用户', search: '搜索用户', searchPlaceholder: '用户名、显示名称或邮箱', role: '角色', allRoles: '全部角色',
    sort: '排序', newest: '最新创建', oldest: '最早创建', disabled: '已禁用', createdAt: '创建于 {time}',
    selected: '已选 {count} 项', disable: '禁用', enable: '启用', delete: '删除', noRoles: '无角色', total: '共 {total} 个用户',
    confirmEnable: '启用 {name}？', confirmDisable: '禁用 {name}？', confirmDisableText: '在重新启用之前，其会话和令牌都将失效。',
    confirmBatchDisable: '禁用 {count} 个用户？', confirmBatchEnable: '启用 {count} 个用户？',
    confirmDelete: '删除 {name}？', confirmDeleteText: '此操作无法撤销。', confirmBatchDelete: '删除 {count} 个用户？',
    done: '操作成功', create: '新建用户', createdToast: '已创建用户 {name}',
  },
  userForm: {
    username: '用户名', displayName: '显示名称', email: '邮箱', password: '密码', roles: '角色', bio: '简介', phone: '手机号',
    editTitle: '编辑 {name}',
  },
  detail: {
    title: '用户 {name}', email: '邮箱', verified: '已验证', notVerified: '未验证', roles: '角色', bio: '简介',
    createdAt: '创建时间', username: '用户名', displayName: '显示名称', status: '状态', active: '正常', notFound: '用户不存在',
    edit: '编辑', changePassword: '修改密码', grantRoles: '分配角色', sendRecovery: '发送恢复邮件', copyRecovery: '复制恢复链接',
    recoverySent: '已向 {name} 发送恢复邮件', recoveryLink: '恢复链接', recoveryLinkText: '把这个一次性链接交给用户，它只显示一次。',
    confirmRecovery: '向 {name} 发送恢复邮件？', confirmRecoveryText: '用户会收到一个设置新密码的一次性链接。',
  },
  password: { title: '修改密码', newPassword: '新密码', confirm: '确认新密码', oldPassword: '当前密码', changed: '密码已修改', mismatch: '两次输入的密码不一致' },
  passwordChange: {
    title: '设置新密码', intro: '继续之前，你必须设置一个新密码。',
    rules: '8 到 128 个字符。', submit: '修改密码并继续',
    wrongCurrent: '当前密码不正确。', sameAsCurrent: '新密码不能与当前密码相同。',
    refused: '新密码未被接受：{reason}',
    tooManySeconds: '密码错误次数过多，请 {seconds} 秒后再试。', tooManyMinutes: '密码错误次数过多，请 {minutes} 分钟后再试。',
    done: '密码已修改',
  },
  grant: { title: '为 {name} 分配角色', granted: '角色已更新' },
  profile: {
    title: '个人资料', info: '资料', security: '密码', email: '邮箱', tokens: '个人令牌', displayName: '显示名称', bio: '简介',
    avatar: '头像', uploadAvatar: '上传头像', removeAvatar: '移除头像', avatarUpdated: '头像已更新',
    currentEmail: '当前邮箱', newEmail: '邮箱地址', sendCode: '发送验证码', resendIn: '{seconds} 秒后可重发', code: '验证码',
    currentPassword: '当前密码', verify: '验证', codeSent: '验证码已发送到 {email}', verifiedToast: '邮箱已验证',
  },
  tokens: {
    new: '新建令牌', name: '名称', expiresAt: '过期时间', expiresHint: '留空表示永不过期', description: '描述', roles: '角色',
    created: '新令牌', createdText: '请立即复制，它只显示一次。', status: '状态', active: '有效', revoked: '已撤销', expired: '已过期',
    lastUsed: '最近使用', expires: '过期', revoke: '撤销', restore: '恢复', confirmRevoke: '撤销 {name}？', confirmDelete: '删除 {name}？',
    confirmRevokeText: '恢复之前，使用它的请求都会被拒绝。', token: '令牌', none: '暂无令牌',
  },
  roles: {
    title: '角色', new: '新建角色', templates: '角色模板', custom: '自定义', builtIn: '系统内置', dependsOn: '依赖', name: '显示名称',
    permissions: '权限', confirmDelete: '删除角色 {name}？', confirmDeleteText: '拥有该角色的用户将失去相应权限。', editTitle: '编辑角色 {name}',
    createTitle: '新建角色', saved: '角色已保存', users: '用户', none: '无权限', includes: '包含 {list}',
  },
  deliveries: {
    title: '投递记录', status: '状态', recipient: '收件人', template: '模板', attempts: '尝试次数', lastError: '最近错误',
    createdAt: '创建时间', sentAt: '发送时间', channel: '渠道', allStatuses: '全部状态',
  },
  audit: { title: '审计日志', action: '动作', actor: '操作者', target: '对象', ip: 'IP', outcome: '结果', time: '时间', details: '详情', filter: '筛选' },
  errors: { notFound: '页面不存在', forbidden: '你没有权限查看此页面。', network: '无法连接服务器' },
};
