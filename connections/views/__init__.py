"""connections pages, one module per area: goals (and the daily check-in), buddies, conversations, support."""
