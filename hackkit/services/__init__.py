"""Business rules and transactions. Services take a SQLAlchemy session and an actor;
they never touch the request, the Flask session or flash messages."""
