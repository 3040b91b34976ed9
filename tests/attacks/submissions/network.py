# Harming the run: reach the network. ATTACK["listener"] is a port the test listens on at this
# machine's non-loopback address; 1.1.1.1:53 is the Internet (1 s each at most).
def _network():
    import socket

    reached = []
    for host, port in (tuple(ATTACK["listener"]), ("1.1.1.1", 53)):
        try:
            with socket.create_connection((host, port), timeout=1) as connection:
                connection.sendall(ATTACK["marker"].encode())
            reached.append(f"{host}:{port}")
        except OSError:
            pass
    return "connected to " + ", ".join(reached) if reached else None


answer(attack_once("network", _network))
