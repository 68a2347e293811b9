# Queues and stacks: a list used as a stack, a deque as a FIFO, with len/truth tests.
from collections import deque


def stack_work(n):
    stack = []
    total = 0
    for i in range(n):
        stack.append(i)
        if i % 3 == 0:
            total += stack.pop()
    while stack:
        total += stack.pop()
    return total


def queue_work(n):
    q = deque((), n)
    total = 0
    for i in range(n):
        q.append(i)
        if len(q) > 8:
            total += q.popleft()
    while q:
        total += q.popleft()
    return total


def edit_work(n):
    l = list(range(n))
    for i in range(0, n // 2, 7):
        del l[i]
        l.insert(i // 2, -i)
    return len(l) + l[0] + l[-1]


def run():
    total = 0
    for r in range(10):
        total = (total + stack_work(4000) + queue_work(4000) + edit_work(600)) & 0xFFFFFF
    return total


print("queues", run())
