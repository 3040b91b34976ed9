# Harming the run: allocate 4 GB, 256 MB at a time, and no more; free it at once. The pages are
# not touched (touching 4 GB takes longer than a check may on a small machine): an address-space
# limit (RLIMIT_AS, RLIMIT_DATA) refuses them, unlimited memory gives them.
def _memory_hog():
    chunks = []
    try:
        while len(chunks) < 16:
            chunks.append(bytes(256 << 20))
    except MemoryError:
        return None
    finally:
        chunks.clear()
    return "allocated 4 GB"


answer(attack_once("memory_hog", _memory_hog))
