import type { FeatureSpec } from '../../shared/model/feature-spec.js';

export const payment: FeatureSpec = {
  name: 'payment',
  kind: 'service',
  description:
    "Stripe payments on Stripe's Python SDK: plans from settings, Checkout, the customer portal, signed webhooks, subscriptions in the database",
  // Subscriptions and processed webhook events are stored in tables; with auth they belong to users.
  requires: [{ name: 'database' }],
  options: [],
  pythonDependencies: ['stripe', 'httpx'],
  pythonDevDependencies: [],
  contributes: {
    settings: {
      definitions: [
        '',
        '# Stripe placeholders for development; production startup refuses them (see below).',
        'DEFAULT_STRIPE_SECRET_KEY = "sk_test_change-me"',
        'DEFAULT_STRIPE_WEBHOOK_SECRET = "whsec_change-me"',
      ],
      validator: 'contrib/config.validator.py.ejs',
      sections: [
        {
          heading: {
            config: 'Payment (Stripe)',
            dotenv: 'Payment (Stripe): your secret key and webhook signing secret; production refuses the placeholders.',
          },
          entries: [
            {
              env: 'STRIPE_SECRET_KEY',
              field: {
                name: 'stripe_secret_key',
                type: 'SecretStr',
                default: 'SecretStr(DEFAULT_STRIPE_SECRET_KEY)',
                imports: [{ module: 'pydantic', names: ['SecretStr'] }],
              },
              dotenv: { value: 'sk_test_...', commented: true, above: ['Dashboard > Developers > API keys (sk_test_… or sk_live_…)'] },
              readme: { default: 'a placeholder', notes: 'required in production' },
            },
            {
              env: 'STRIPE_WEBHOOK_SECRET',
              field: {
                name: 'stripe_webhook_secret',
                type: 'SecretStr',
                default: 'SecretStr(DEFAULT_STRIPE_WEBHOOK_SECRET)',
                imports: [{ module: 'pydantic', names: ['SecretStr'] }],
              },
              dotenv: {
                value: 'whsec_...',
                commented: true,
                above: ["The endpoint's signing secret (stripe listen prints one for local testing)"],
              },
              readme: { default: 'a placeholder', notes: 'required in production; signs `POST /api/payment/webhook`' },
            },
            {
              env: 'STRIPE_API_BASE',
              field: { name: 'stripe_api_base', type: 'str', text: 'https://api.stripe.com' },
              dotenv: { value: 'https://api.stripe.com', commented: true, above: ['Another API server (a mock in tests)'] },
              readme: { default: '`https://api.stripe.com`', notes: 'a Stripe-compatible server for tests' },
            },
            {
              env: 'STRIPE_MAX_NETWORK_RETRIES',
              field: { name: 'stripe_max_network_retries', type: 'int', default: 'Field(default=2, ge=0)' },
              dotenv: { value: '2' },
              readme: { default: '`2`', notes: 'retries of a failed Stripe request' },
            },
            {
              env: 'STRIPE_WEBHOOK_TOLERANCE_SECONDS',
              field: {
                name: 'stripe_webhook_tolerance_seconds',
                type: 'int',
                default: 'Field(default=300, ge=1)',
              },
              dotenv: { value: '300' },
              readme: { default: '`300`', notes: 'a webhook signed longer ago is refused' },
            },
            {
              env: 'PAYMENT_PLANS',
              field: {
                name: 'payment_plans',
                type: 'dict[str, str]',
                default: 'Field(default_factory=dict)',
                above: ['Plan name -> Stripe price id'],
              },
              dotenv: {
                value: '{"pro": "price_..."}',
                commented: true,
                above: ['Plans customers may subscribe to: a JSON object of plan name -> recurring price id'],
              },
              readme: { default: '`{}`', notes: 'JSON: plan name → recurring price id (`price_…`)' },
            },
            {
              env: 'PAYMENT_SUCCESS_URL',
              field: {
                name: 'payment_success_url',
                type: 'str',
                text: 'http://127.0.0.1:8000/?checkout=success&session_id={CHECKOUT_SESSION_ID}',
              },
              dotenv: { value: 'http://127.0.0.1:8000/?checkout=success&session_id={CHECKOUT_SESSION_ID}' },
              readme: { default: 'the app with `?checkout=success`', notes: 'where Checkout returns after paying' },
            },
            {
              env: 'PAYMENT_CANCEL_URL',
              field: { name: 'payment_cancel_url', type: 'str', text: 'http://127.0.0.1:8000/?checkout=cancelled' },
              dotenv: { value: 'http://127.0.0.1:8000/?checkout=cancelled' },
              readme: { default: 'the app with `?checkout=cancelled`', notes: 'where Checkout returns when abandoned' },
            },
            {
              env: 'PAYMENT_PORTAL_RETURN_URL',
              field: { name: 'payment_portal_return_url', type: 'str', text: 'http://127.0.0.1:8000/' },
              dotenv: { value: 'http://127.0.0.1:8000/' },
              readme: { default: '`http://127.0.0.1:8000/`', notes: 'where the customer portal returns' },
            },
          ],
        },
      ],
    },
    health: [{ name: 'payment', module: 'app.services.payment.health', fn: 'check_payment', summary: 'the Stripe setup and stored subscriptions' }],
    readme: {
      section: { fragment: 'contrib/README.md.ejs' },
      layout: { lines: ['  services/payment/     Stripe: plans, Checkout, portal, webhooks; api/payment/ the routes'], order: 1 },
    },
    routers: [{ module: 'app.components.backend.api.payment.router', alias: 'payment_router' }],
    pytest: { plugins: ['tests.payment_support'] },
    models: { modules: ['app.models.payment'] },
  },
};
