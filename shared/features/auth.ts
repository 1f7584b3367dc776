import type { FeatureSpec } from './feature-spec.js';

export const auth: FeatureSpec = {
  name: 'auth',
  kind: 'service',
  description: 'User accounts: Argon2 passwords, JWT access and refresh tokens with rotation, login lockout, CLI',
  requires: [{ name: 'database' }],
  options: [],
  pythonDependencies: ['pwdlib', 'pyjwt', 'email-validator', 'python-multipart'],
  pythonDevDependencies: [],
  composeServices: [],
  envVars: [
    'SECRET_KEY',
    'ACCESS_TOKEN_EXPIRE_MINUTES',
    'REFRESH_TOKEN_EXPIRE_DAYS',
    'AUTH_MAX_FAILED_LOGINS',
    'AUTH_LOCKOUT_MINUTES',
    'AUTH_MIN_PASSWORD_LENGTH',
  ],
  healthCheck: 'auth',
  generator: 'auth',
};
