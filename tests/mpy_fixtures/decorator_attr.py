class A:
    @staticmethod
    def s():
        return 1
    @property
    def p(self):
        return 2
