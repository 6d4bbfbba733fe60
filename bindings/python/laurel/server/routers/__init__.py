"""One router per resource; app.py includes them in this order."""
