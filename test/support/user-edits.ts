/** Edits a user makes on a real Monday: their own target, section, router, compose service and module. */
export const USER_EDITS = {
  'Makefile': '\n.PHONY: seed\nseed: ## Load demo data (mine)\n\tuv run python -m app.seed\n',
  'pyproject.toml': '\n[tool.coverage.run]\nbranch = true  # mine\n',
};
/** A compose service of the user's own, at the end of `services:` (before the top-level `volumes:`). */
export const COMPOSE = 'docker-compose.yml';
export const OWN_SERVICE = '  mailpit:  # mine\n    image: axllent/mailpit:v1.27\n\n';
export const OWN_FILE = 'app/services/billing.py';
export const OWN_CODE = '"""Billing (mine)."""\n\nRATE = 0.2\n';
export const ROUTER = 'app/components/backend/api/routing.py';
export const ROUTER_LINE = '# mine: the billing router goes here\n';
/** Lines users add right after the core registration line: their own CLI group and startup context. */
export const AFTER_CORE_LINE = {
  'app/cli/main.py': ['cli.add_typer(health_app, name="health")\n', 'cli.add_typer(billing_app, name="billing")  # mine\n'],
  'app/components/backend/lifespan.py': [
    '        await stack.enter_async_context(dashboard_lifespan(settings))\n',
    '        await stack.enter_async_context(billing_lifespan())  # mine\n',
  ],
} as const;
