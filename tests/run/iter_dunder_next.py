# __next__ on built-in iterators
it = iter(range(2))
print(it.__next__(), it.__next__())
try:
    it.__next__()
except StopIteration:
    print("StopIteration")
print(iter("ab").__next__(), iter([7]).__next__(), map(abs, [-3]).__next__())
