import type { FeatureSpec } from '../../shared/model/feature-spec.js';
import type { SettingEntry } from '../../shared/model/slots/settings.js';

const withAuth = ({ has }: { has: Readonly<Record<string, boolean>> }): boolean => has.auth === true;

/** A secret of an HTTP provider: unset unless that provider is used. */
function secret(env: string, field: string, notes: string): SettingEntry {
  return {
    env,
    field: { name: field, type: 'SecretStr | None', default: 'None' },
    dotenv: { value: '', commented: true },
    readme: { default: 'unset', notes },
  };
}

export const comms: FeatureSpec = {
  name: 'comms',
  kind: 'service',
  description:
    'Transactional email over SMTP, Resend or Postmark, Jinja2 templates and a preview command; password reset and email verification with auth',
  // Uses the worker (sending through its system queue) and auth (reset and verification) when the project has them.
  requires: [],
  options: [],
  pythonDependencies: ['jinja2'],
  pythonDevDependencies: ['aiosmtpd'],
  contributes: {
    settings: {
      imports: [
        { module: 'pydantic', names: ['SecretStr'] },
        { module: 'app.services.comms.options', names: ['EmailProviderName', 'SmtpSecurity'] },
      ],
      definitions: ['', '# Development-only sender; production startup refuses it.', 'DEFAULT_EMAIL_FROM = "App <noreply@example.com>"'],
      validator: 'contrib/config.validator.py.ejs',
      sections: [
        {
          heading: {
            config: 'Comms: transactional email',
            dotenv: 'Comms: email through SMTP (default), Resend or Postmark (`comms preview` renders without sending)',
          },
          entries: [
            {
              env: 'EMAIL_PROVIDER',
              field: { name: 'email_provider', type: 'EmailProviderName', default: '"smtp"' },
              dotenv: { value: 'smtp' },
              readme: { default: '`smtp`', notes: '`smtp`, `resend` or `postmark`' },
            },
            {
              env: 'EMAIL_FROM',
              field: { name: 'email_from', type: 'str', default: 'DEFAULT_EMAIL_FROM' },
              dotenv: { value: 'App <noreply@example.com>', above: ['Production refuses the example.com sender'] },
              readme: { default: '`App <noreply@example.com>`', notes: 'required in production' },
            },
            {
              env: 'EMAIL_PUBLIC_URL',
              field: { name: 'email_public_url', type: 'str', default: '"http://localhost:8000"', comment: 'links in emails' },
              dotenv: { value: 'http://localhost:8000', above: ['The address links in emails start with; production needs https'] },
              readme: { default: '`http://localhost:8000`', notes: 'links in emails; https in production' },
            },
            {
              env: 'SMTP_HOST',
              field: { name: 'smtp_host', type: 'str', default: '"localhost"' },
              dotenv: { value: 'localhost' },
              readme: { default: '`localhost`' },
            },
            {
              env: 'SMTP_PORT',
              field: { name: 'smtp_port', type: 'int', default: 'Field(default=1025, ge=1, le=65535)' },
              dotenv: { value: '1025' },
              readme: { default: '`1025`' },
            },
            {
              env: 'SMTP_SECURITY',
              field: { name: 'smtp_security', type: 'SmtpSecurity', default: '"none"' },
              dotenv: { value: 'none', above: ['none, starttls or tls; production refuses a password over none'] },
              readme: { default: '`none`', notes: '`none`, `starttls` or `tls`' },
            },
            {
              env: 'SMTP_USERNAME',
              field: { name: 'smtp_username', type: 'str | None', default: 'None' },
              dotenv: { value: '', commented: true },
              readme: { default: 'unset' },
            },
            secret('SMTP_PASSWORD', 'smtp_password', 'sent only over `starttls` or `tls` in production'),
            secret('RESEND_API_KEY', 'resend_api_key', 'required with `EMAIL_PROVIDER=resend`'),
            secret('POSTMARK_SERVER_TOKEN', 'postmark_server_token', 'required with `EMAIL_PROVIDER=postmark`'),
            {
              env: 'RESEND_API_URL',
              field: { name: 'resend_api_url', type: 'str', default: '"https://api.resend.com"' },
              readme: { default: '`https://api.resend.com`' },
            },
            {
              env: 'POSTMARK_API_URL',
              field: { name: 'postmark_api_url', type: 'str', default: '"https://api.postmarkapp.com"' },
              readme: { default: '`https://api.postmarkapp.com`' },
            },
            {
              env: 'EMAIL_TIMEOUT_SECONDS',
              field: { name: 'email_timeout_seconds', type: 'float', default: 'Field(default=10.0, gt=0)' },
              dotenv: { value: '10' },
              readme: { default: '`10`', notes: 'per attempt' },
            },
            {
              env: 'EMAIL_MAX_ATTEMPTS',
              field: { name: 'email_max_attempts', type: 'int', default: 'Field(default=3, ge=1)' },
              dotenv: { value: '3' },
              readme: ({ has }) => ({
                default: '`3`',
                notes: has.worker ? 'tries of a send, inline; through the worker `WORKER_MAX_TRIES`' : 'tries of a send',
              }),
            },
            {
              env: 'EMAIL_RETRY_BACKOFF_SECONDS',
              field: { name: 'email_retry_backoff_seconds', type: 'float', default: 'Field(default=1.0, ge=0)' },
              dotenv: { value: '1' },
              readme: { default: '`1`', notes: 'doubled after each failed try' },
            },
            {
              env: 'PASSWORD_RESET_EXPIRE_MINUTES',
              when: withAuth,
              field: { name: 'password_reset_expire_minutes', type: 'int', default: 'Field(default=30, gt=0)' },
              dotenv: { value: '30' },
              readme: { default: '`30`', notes: 'lifetime of a reset link' },
            },
            {
              env: 'EMAIL_VERIFICATION_EXPIRE_HOURS',
              when: withAuth,
              field: { name: 'email_verification_expire_hours', type: 'int', default: 'Field(default=48, gt=0)' },
              dotenv: { value: '48' },
              readme: { default: '`48`', notes: 'lifetime of a verification link' },
            },
            {
              env: 'AUTH_REQUIRE_VERIFIED_EMAIL',
              when: withAuth,
              field: { name: 'auth_require_verified_email', type: 'bool', default: 'False' },
              dotenv: { value: 'false', above: ['Refuse sign-in until the address is verified'] },
              readme: { default: '`false`', notes: 'sign-in needs a verified address' },
            },
          ],
        },
      ],
    },
    health: [{ name: 'comms', module: 'app.services.comms.health', fn: 'check_comms', summary: 'the email provider' }],
    routers: [{ module: 'app.components.backend.api.comms.router', alias: 'comms_router', when: withAuth }],
    cli: [{ module: 'app.cli.comms', alias: 'comms_app', name: 'comms' }],
    lifespan: [{ module: 'app.services.comms.dispatch', fn: 'comms_lifespan', argument: 'settings' }],
    pytest: { plugins: ['tests.comms_support', 'tests.comms_delivery'] },
    make: { fragment: 'contrib/Makefile.ejs' },
    models: { modules: ['app.models.comms'], when: withAuth },
    readme: {
      commands: { lines: ['make email-preview T=welcome  # render an email template without sending'] },
      section: { fragment: 'contrib/README.md.ejs' },
      layout: { lines: ['  services/comms/       email: providers, templates (email_templates/), sending, retries'], order: 1 },
    },
  },
};
