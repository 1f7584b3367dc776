import type { FeatureSpec } from '../../shared/model/feature-spec.js';

export const auth: FeatureSpec = {
  name: 'auth',
  kind: 'service',
  description: 'User accounts: Argon2 passwords, JWT access and refresh tokens with rotation, login lockout, CLI',
  requires: [{ name: 'database' }],
  options: [],
  pythonDependencies: ['pwdlib', 'pyjwt', 'email-validator', 'python-multipart'],
  pythonDevDependencies: [],
  contributes: {
    agents: { fragment: 'contrib/AGENTS.md.ejs' },
    settings: {
      definitions: [
        '',
        '# Development-only signing key; production startup refuses it (see below).',
        'DEFAULT_SECRET_KEY = "change-me-in-production-insecure-development-secret-key"',
        'MIN_SECRET_KEY_LENGTH = 32',
      ],
      validator: 'contrib/config.validator.py.ejs',
      sections: [
        {
          heading: { config: 'Auth', dotenv: 'Auth: set a random SECRET_KEY of 32+ characters; production refuses the default.' },
          entries: [
            {
              env: 'SECRET_KEY',
              field: {
                name: 'secret_key',
                type: 'SecretStr',
                default: 'SecretStr(DEFAULT_SECRET_KEY)',
                imports: [{ module: 'pydantic', names: ['SecretStr'] }],
              },
              dotenv: { value: '', commented: true, above: ['python -c "import secrets; print(secrets.token_urlsafe(48))"'] },
              readme: { default: 'a development key', notes: 'required in production: 32+ random characters' },
            },
            {
              env: 'ACCESS_TOKEN_EXPIRE_MINUTES',
              field: { name: 'access_token_expire_minutes', type: 'int', default: 'Field(default=15, gt=0)' },
              dotenv: { value: '15' },
              readme: { default: '`15`' },
            },
            {
              env: 'REFRESH_TOKEN_EXPIRE_DAYS',
              field: { name: 'refresh_token_expire_days', type: 'int', default: 'Field(default=7, gt=0)' },
              dotenv: { value: '7' },
              readme: { default: '`7`' },
            },
            {
              env: 'AUTH_MAX_FAILED_LOGINS',
              field: { name: 'auth_max_failed_logins', type: 'int', default: 'Field(default=5, ge=1)' },
              dotenv: { value: '5' },
              readme: { default: '`5`', notes: 'failed logins before a lockout' },
            },
            {
              env: 'AUTH_LOCKOUT_MINUTES',
              field: { name: 'auth_lockout_minutes', type: 'int', default: 'Field(default=15, gt=0)' },
              dotenv: { value: '15' },
              readme: { default: '`15`' },
            },
            {
              env: 'AUTH_MIN_PASSWORD_LENGTH',
              field: { name: 'auth_min_password_length', type: 'int', default: 'Field(default=10, ge=8, le=128)' },
              dotenv: { value: '10' },
              readme: { default: '`10`' },
            },
          ],
        },
      ],
    },
    health: [{ name: 'auth', module: 'app.services.auth.health', fn: 'check_auth' }],
    readme: {
      privateDetails: " unless the caller sends a\n  superuser's bearer token",
      section: { fragment: 'contrib/README.md.ejs' },
      layout: {
        lines: [
          '  core/security.py      password hashing and tokens',
          '  services/auth/        register, login, refresh, lockout; api/auth/ the routes',
        ],
      },
    },
    // Its router and CLI group come before the components'.
    routers: [{ module: 'app.components.backend.api.auth.router', alias: 'auth_router', order: -1 }],
    cli: [{ module: 'app.cli.auth', alias: 'auth_app', name: 'auth', order: -1 }],
    deps: {
      imports: [
        { module: 'fastapi', names: ['HTTPException', 'status'] },
        { module: 'fastapi.security', names: ['OAuth2PasswordBearer'] },
        { module: 'app.core.db', names: ['SessionDep'] },
        { module: 'app.models.user', names: ['User'] },
        { module: 'app.services.auth.errors', names: ['InvalidTokenError'] },
        { module: 'app.services.auth.service', names: ['AuthService'] },
      ],
      code: 'contrib/deps.py.ejs',
      providesAdminGuard: true,
    },
    pytest: { plugins: ['tests.auth_support'] },
    models: { modules: ['app.models.user'] },
  },
};
