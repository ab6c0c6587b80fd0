"""Synthetic demo data: the scenario of three agencies and field data calibrated to CBP."""
