"""The support portal: Jinja pages for customer users, served by the customer API."""
