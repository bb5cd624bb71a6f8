"""Accounts of volunteers, in-job party members and unit contacts; 双报到 and service hours."""
