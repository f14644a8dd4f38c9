"""Pure rules: no database, no UI (ID numbers, money, form rules, wages, privacy)."""
