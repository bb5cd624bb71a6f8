"""积分: rules, the append-only ledger, balances and the redemption catalogue."""
