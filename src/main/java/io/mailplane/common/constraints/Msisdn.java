package io.mailplane.common.constraints;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.regex.Pattern;

/**
 * An MSISDN: {@code +} and 8-15 digits, optionally grouped by single {@code .}, {@code -} or
 * space separators ({@code +49.12345.6789}); {@code null} is valid.
 */
@Documented
@Constraint(validatedBy = Msisdn.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE_USE, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface Msisdn {
    String message() default "must be + and 8-15 digits, optionally separated by '.', '-' or spaces";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<Msisdn, String> {
        private static final Pattern SHAPE = Pattern.compile("\\+[0-9]+([.\\- ][0-9]+)*");

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || isMsisdn(value);
        }

        public static boolean isMsisdn(String value) {
            if (value.length() > 32 || !SHAPE.matcher(value).matches()) {
                return false;
            }
            int digits = digits(value).length();
            return digits >= 8 && digits <= 15;
        }

        /** The digits of an MSISDN, as it is indexed and searched. */
        public static String digits(String value) {
            return value.replaceAll("[^0-9]", "");
        }
    }
}
