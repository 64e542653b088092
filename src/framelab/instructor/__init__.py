"""The instructor's side: the course, the exchange, the class report, simulated classes,
printable handouts."""
