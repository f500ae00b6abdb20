"""Portal Kinerja: validate, compute and publish LKjIP performance data."""
