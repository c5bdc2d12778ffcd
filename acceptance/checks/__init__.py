"""What the cloud must show, now or within a time: the hamcrest matchers,
``eventually``, and the one poll loop they and every wait go through."""
