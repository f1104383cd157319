"""Code that is not Django-specific: environment parsing, text cleaning, calendars, document writers."""
