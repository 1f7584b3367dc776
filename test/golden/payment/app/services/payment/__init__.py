"""Payment service: Stripe Checkout, the customer portal, webhooks, subscriptions."""
