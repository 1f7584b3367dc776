import type { FeatureSpec } from './feature-spec.js';

export const auth: FeatureSpec = {
  name: 'auth',
  kind: 'service',
  description: 'User accounts: Argon2 passwords, JWT access and refresh tokens with rotation, login lockout, CLI',
  requires: [{ name: 'database' }],
  options: [],
  pythonDependencies: ['pwdlib', 'pyjwt', 'email-validator', 'python-multipart'],
  pythonDevDependencies: [],
  envVars: [
    'SECRET_KEY',
    'ACCESS_TOKEN_EXPIRE_MINUTES',
    'REFRESH_TOKEN_EXPIRE_DAYS',
    'AUTH_MAX_FAILED_LOGINS',
    'AUTH_LOCKOUT_MINUTES',
    'AUTH_MIN_PASSWORD_LENGTH',
  ],
  contributes: {
    health: [{ name: 'auth', module: 'app.services.auth.health', fn: 'check_auth' }],
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
  },
  generator: 'auth',
};
