

class Base:
    TESTING = False


class DevelopmentConfig(Base):
    DEBUG = True
    TEMPLATES_AUTO_RELOAD = True


class TestingConfig(Base):
    TESTING = True


class ProductionConfig(Base):
    DEBUG = False

    @staticmethod
    def check(config):
        if not config.get("SECRET_KEY"):
            raise RuntimeError("FLASK_SECRET_KEY is missing, so SECRET_KEY is empty")


by_name = {"development": DevelopmentConfig, "testing": TestingConfig, "production": ProductionConfig}
