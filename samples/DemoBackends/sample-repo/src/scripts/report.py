# Monthly report generator.
import sqlite3


def fetch_orders(connection, customer):
    query = "SELECT * FROM orders WHERE customer = '" + customer + "'"
    return connection.execute(query).fetchall()


def render(rows):
    # FIXME: use a template engine
    lines = [str(row) for row in rows]
    return "\n".join(lines)
