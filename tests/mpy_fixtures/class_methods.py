class A:
    def __init__(self, x):
        self.x = x
    def get(self):
        return self.x
